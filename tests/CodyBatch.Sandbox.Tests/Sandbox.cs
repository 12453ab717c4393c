using Microsoft.Extensions.Logging.Abstractions;

namespace CodyBatch.Sandbox.Tests;

/// <summary>A bubblewrap runner with test settings, and a tree to run in.</summary>
internal static class Sandbox
{
    public static BubblewrapCheckRunner Runner(Action<CheckOptions>? configure = null)
    {
        var options = new CheckOptions
        {
            Timeout = TimeSpan.FromSeconds(30),
            MemoryLimitMb = 512,
            MaxProcesses = 128,
            DiskLimitMb = Environment.IsPrivilegedProcess ? 256 : 0,
        };
        configure?.Invoke(options);
        return new BubblewrapCheckRunner(Options.Create(options), NullLogger<BubblewrapCheckRunner>.Instance);
    }

    public static async Task<CheckResult> RunAsync(BubblewrapCheckRunner runner, string tree, string command)
    {
        var unavailable = await runner.UnavailableReasonAsync(CancellationToken.None);
        Assert.True(unavailable is null, unavailable);
        var result = await runner.RunAsync(new CheckSession(tree, [], [new CheckDefinition("check", command)]), CancellationToken.None);
        return Assert.Single(result.Checks);
    }
}
