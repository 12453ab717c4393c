using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace CodyBatch.Core.Repositories;

/// <summary>
/// A git repository on this machine, named by a path or a <c>file://</c> URL, optionally with
/// <c>#ref</c> (a branch, tag or commit; HEAD otherwise). Stored in its canonical form:
/// an absolute path, plus <c>#ref</c> when one was given.
/// </summary>
public static partial class LocalRepository
{
    /// <summary>True when <paramref name="text"/> names a local repository rather than <c>owner/name</c>.</summary>
    public static bool IsLocal(string text) =>
        text.StartsWith('/') || text.StartsWith("./", StringComparison.Ordinal) || text.StartsWith("../", StringComparison.Ordinal)
        || text is "." or ".." || text.StartsWith("~/", StringComparison.Ordinal)
        || text.StartsWith("file://", StringComparison.OrdinalIgnoreCase)
        || (OperatingSystem.IsWindows() && Path.IsPathFullyQualified(text));

    /// <summary>
    /// Turns what a user wrote into the canonical form, relative paths taken from
    /// <paramref name="currentDirectory"/>. Fails with a sentence when it cannot be a local repository.
    /// </summary>
    public static bool TryNormalize(string text, string currentDirectory, [NotNullWhen(true)] out string? source, out string problem)
    {
        source = null;
        var (location, reference) = SplitReference(text.Trim());
        string path;
        if (location.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || !uri.IsFile || !string.IsNullOrEmpty(uri.Host))
            {
                problem = $"\"{location}\" is not a file URL of this machine; write it as file:///absolute/path.";
                return false;
            }

            path = uri.LocalPath;
        }
        else if (location.StartsWith("~/", StringComparison.Ordinal))
        {
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), location[2..]);
        }
        else
        {
            path = Path.Combine(currentDirectory, location);
        }

        path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (!Directory.Exists(path))
        {
            problem = $"There is no folder {path}.";
            return false;
        }

        if (reference is not null && !ReferenceRegex().IsMatch(reference))
        {
            problem = $"\"{reference}\" is not a git reference; use a branch, tag or commit after '#'.";
            return false;
        }

        source = reference is null ? path : $"{path}#{reference}";
        problem = "";
        return true;
    }

    /// <summary>The path and the reference (null for HEAD) of a canonical source.</summary>
    public static (string Path, string? Reference) Parse(string source) => SplitReference(source);

    /// <summary>The run name for a local repository: <c>local/</c> and its folder's name, made to fit <c>owner/name</c>.</summary>
    public static string DisplayName(string source)
    {
        var folder = Path.GetFileName(Parse(source).Path);
        if (folder.EndsWith(".git", StringComparison.OrdinalIgnoreCase) && folder.Length > 4)
        {
            folder = folder[..^4];
        }

        var name = UnsafeNameCharacters().Replace(folder, "-").Trim('-');
        name = name.Length == 0 || name is "." or ".." ? "repository" : name[..Math.Min(name.Length, 90)];
        return $"local/{name}";
    }

    private static (string Location, string? Reference) SplitReference(string text)
    {
        var hash = text.LastIndexOf('#');
        return hash > 0 && hash < text.Length - 1 ? (text[..hash], text[(hash + 1)..]) : (text.TrimEnd('#'), null);
    }

    // What git allows in a ref name, minus what a shell or a URL would trip over.
    [GeneratedRegex(@"^(?!-)(?!.*\.\.)(?!.*@\{)[A-Za-z0-9._/+-]{1,200}(?<!\.lock)(?<![/.])\z")]
    private static partial Regex ReferenceRegex();

    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex UnsafeNameCharacters();
}
