using System.Diagnostics;
using System.Globalization;
using CodyBatch.Core.Checks;
using CodyBatch.Core.Environments;
using CodyBatch.Core.Workspaces;
using CodyBatch.Sandbox.Bubblewrap;
using CodyBatch.Sandbox.Shell;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// The shell's overhead per command: `true` sent through a running session (the command read by the driver, a
// forked subshell that restores and saves the session's state, the end marker read back; the workspace is handed
// to the sandbox's user only after Cody Batch's own tools wrote), after the session started. Prints the session's start time and the round trip's median and 90th
// percentile. The goal is a median under 50 ms.
//
//   dotnet run -c Release --project bench/CodyBatch.Bench.Shell -- [--rounds 100] [--files 2000]
var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
var rounds = settings.GetValue("rounds", 100);
var files = settings.GetValue("files", 2000);
var checkOptions = Options.Create(new CheckOptions());
var runner = new BubblewrapCheckRunner(checkOptions, NullLogger<BubblewrapCheckRunner>.Instance);
var factory = new BubblewrapShellSessionFactory(runner, checkOptions, Options.Create(new ShellOptions()), NullLogger<BubblewrapShellSessionFactory>.Instance);
if (await factory.UnavailableReasonAsync(CancellationToken.None) is { } reason)
{
    Console.Error.WriteLine(reason);
    return 1;
}

var root = Path.Combine(Path.GetTempPath(), $"codybatch-shellbench-{Guid.NewGuid():N}");
var repository = Path.Combine(root, "repo");
var home = Path.Combine(root, "home");
Directory.CreateDirectory(home);
for (var i = 0; i < files; i++)
{
    var folder = Path.Combine(repository, $"src{i % 20}");
    Directory.CreateDirectory(folder);
    await File.WriteAllTextAsync(Path.Combine(folder, $"file{i}.txt"), "x\n");
}

try
{
    var clock = Stopwatch.StartNew();
    await using var session = await factory.StartAsync(new ShellSessionRequest(repository, home, SandboxNetwork.None), CancellationToken.None);
    var first = await session.RunAsync("true", CancellationToken.None);
    var start = clock.Elapsed.TotalMilliseconds;
    if (first.ExitCode != 0)
    {
        Console.Error.WriteLine($"`true` failed in the shell: {first.Limit}\n{first.Output}");
        return 1;
    }

    var times = new List<double>();
    for (var i = -5; i < rounds; i++)
    {
        clock.Restart();
        var result = await session.RunAsync("true", CancellationToken.None);
        if (i >= 0)
        {
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        if (result.ExitCode != 0)
        {
            Console.Error.WriteLine($"`true` failed in the shell: {result.Limit}");
            return 1;
        }
    }

    times.Sort();
    double Percentile(double p) => times[(int)Math.Min(times.Count - 1, Math.Round(p * (times.Count - 1)))];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rounds} rounds of `true`, workspace of {files} files; {Environment.ProcessorCount} cores"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"session start + first command: {start:0.0} ms"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round trip: p50 {Percentile(0.5):0.0} ms, p90 {Percentile(0.9):0.0} ms (goal: p50 under 50 ms) — {(Percentile(0.5) < 50 ? "met" : "NOT met")}"));
    return 0;
}
finally
{
    MountedFolders.DetachUnder(root);
    Directory.Delete(root, recursive: true);
}
