using System.Diagnostics;
using CodyBatch.Core.Checks;
using CodyBatch.Sandbox.Bubblewrap;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// The time the sandbox adds to one check: each command run bare (/bin/sh -c, output captured) and
// through the bubblewrap runner (cgroup made and removed, namespaces, mounts, cleared environment),
// alternating, after a warm-up. Prints median and 90th percentile per command, and the overhead.
// The goal is under 50 ms per check.
//
//   dotnet run -c Release --project bench/CodyBatch.Bench.Sandbox -- [--rounds 30]
var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
var rounds = settings.GetValue("rounds", 30);
var runner = new BubblewrapCheckRunner(Options.Create(new CheckOptions()), NullLogger<BubblewrapCheckRunner>.Instance);
if (await runner.UnavailableReasonAsync(CancellationToken.None) is { } reason)
{
    Console.Error.WriteLine(reason);
    return 1;
}

var tree = Path.Combine(Path.GetTempPath(), $"codybatch-sandboxbench-{Guid.NewGuid():N}");
Directory.CreateDirectory(tree);
await File.WriteAllTextAsync(Path.Combine(tree, "test_x.py"), "import unittest\n\nclass T(unittest.TestCase):\n    def test_ok(self):\n        self.assertTrue(True)\n");
try
{
    Console.WriteLine($"{rounds} rounds per command, bare and sandboxed alternating; {Environment.ProcessorCount} cores");
    Console.WriteLine($"{"command",-28} {"bare p50",9} {"sandbox p50",12} {"added p50",10} {"bare p90",9} {"sandbox p90",12}");
    var worst = 0.0;
    foreach (var command in new[] { "exit 0", "python3 -m unittest -q", "node -e 0" })
    {
        var bare = new List<double>();
        var sandboxed = new List<double>();
        for (var i = -3; i < rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            await BareAsync(tree, command);
            var b = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            var result = await runner.RunCommandAsync(tree, "bench", command, network: false, CancellationToken.None);
            var s = clock.Elapsed.TotalMilliseconds;
            if (!result.Passed)
            {
                Console.Error.WriteLine($"{command} failed in the sandbox: {result.Limit ?? result.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n{result.Output}");
                return 1;
            }

            if (i >= 0)
            {
                bare.Add(b);
                sandboxed.Add(s);
            }
        }

        var added = Percentile(sandboxed, 0.5) - Percentile(bare, 0.5);
        worst = Math.Max(worst, added);
        Console.WriteLine($"{command,-28} {Percentile(bare, 0.5),7:0.0}ms {Percentile(sandboxed, 0.5),10:0.0}ms {added,8:0.0}ms {Percentile(bare, 0.9),7:0.0}ms {Percentile(sandboxed, 0.9),10:0.0}ms");
    }

    Console.WriteLine($"sandbox adds at most {worst:0.0} ms per check at the median (goal: under 50 ms) — {(worst < 50 ? "met" : "NOT met")}");
    return 0;
}
finally
{
    Directory.Delete(tree, recursive: true);
}

static async Task BareAsync(string tree, string command)
{
    var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = tree, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    start.ArgumentList.Add("-c");
    start.ArgumentList.Add(command);

    // The same programs as in the sandbox (its PATH), so only the sandbox differs.
    start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    await Task.WhenAll(output, error);
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{command} failed bare: {await error}");
    }
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[(int)Math.Min(sorted.Count - 1, Math.Round(p * (sorted.Count - 1)))];
}
