using CodyBatch.Sandbox.Shell;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodyBatch.Sandbox.Tests;

/// <summary>Shell sessions in the bubblewrap sandbox with test settings.</summary>
internal static class Shell
{
    public static BubblewrapShellSessionFactory Factory(Action<ShellOptions>? shell = null, Action<CheckOptions>? checks = null)
    {
        var checkOptions = new CheckOptions { Timeout = TimeSpan.FromSeconds(30), MemoryLimitMb = 256, MaxProcesses = 128 };
        checks?.Invoke(checkOptions);
        var shellOptions = new ShellOptions { CommandTimeout = TimeSpan.FromSeconds(30), OutputChars = 4_000 };
        shell?.Invoke(shellOptions);
        var runner = new Bubblewrap.BubblewrapCheckRunner(Options.Create(checkOptions), NullLogger<Bubblewrap.BubblewrapCheckRunner>.Instance);
        return new BubblewrapShellSessionFactory(runner, Options.Create(checkOptions), Options.Create(shellOptions), NullLogger<BubblewrapShellSessionFactory>.Instance);
    }

    public static async Task<IShellSession> StartAsync(BubblewrapShellSessionFactory factory, string repository, string home, SandboxNetwork? network = null)
    {
        var unavailable = await factory.UnavailableReasonAsync(CancellationToken.None);
        Assert.True(unavailable is null, unavailable);
        return await factory.StartAsync(new ShellSessionRequest(repository, home, network ?? SandboxNetwork.None), CancellationToken.None);
    }
}
