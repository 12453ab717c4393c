using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CodyBatch.Core.Tests.Architecture;

/// <summary>
/// Core is the domain and its ports: it starts no process and references no adapter. Work that needs a
/// process (git, file copies, a sandbox) goes behind a port in an adapter project.
/// </summary>
public sealed partial class CoreBoundaryTests
{
    private static string CoreFolder => Path.Combine(TestEnvironment.RepositoryRoot(), "src", "CodyBatch.Core");

    [Fact]
    public void No_code_under_core_starts_a_process()
    {
        var sources = Directory.EnumerateFiles(CoreFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        var starts = sources
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (File: Path.GetRelativePath(CoreFolder, file), Line: i + 1, Text: line)))
            .Where(l => ProcessUse().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.NotEmpty(sources);
        Assert.True(starts.Count == 0, "Core starts processes; put this work behind a port in an adapter:\n" + string.Join("\n", starts));
    }

    [Fact]
    public void The_core_assembly_does_not_reference_the_process_assembly()
    {
        // The compiled side of the same rule: Process and ProcessStartInfo live in System.Diagnostics.Process,
        // and the compiler references that assembly only from code that uses them.
        var referenced = typeof(Jobs.JobService).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.Contains("System.Runtime", referenced);
        Assert.DoesNotContain("System.Diagnostics.Process", referenced);
    }

    [Fact]
    public void Core_references_no_adapter_project()
    {
        var project = XDocument.Load(Path.Combine(CoreFolder, "CodyBatch.Core.csproj"));

        var references = project.Descendants("ProjectReference").Select(r => (string?)r.Attribute("Include")).ToList();

        Assert.Empty(references);
    }

    [Fact]
    public void Core_traces_and_measures_through_the_runtime_alone_not_the_OpenTelemetry_packages()
    {
        // ActivitySource and Meter are in the runtime; only the host wires the OpenTelemetry SDK to them.
        var referenced = typeof(Jobs.JobService).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();
        var packages = XDocument.Load(Path.Combine(CoreFolder, "CodyBatch.Core.csproj")).Descendants("PackageReference").Select(r => (string?)r.Attribute("Include") ?? "").ToList();

        Assert.Contains("System.Diagnostics.DiagnosticSource", referenced);
        Assert.DoesNotContain(referenced, name => name.StartsWith("OpenTelemetry", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(packages, name => name.StartsWith("OpenTelemetry", StringComparison.OrdinalIgnoreCase));
    }

    [GeneratedRegex(@"\bProcess\.Start\b|\bProcessStartInfo\b|\bnew\s+Process\s*\(|\bProcess\s*\.\s*Start\b", RegexOptions.CultureInvariant)]
    private static partial Regex ProcessUse();
}
