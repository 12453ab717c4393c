namespace CodyBatch.Core.Environments;

/// <summary>
/// One run's environment: its home (shared by setup, checks and shell), its network (the egress proxy, when the job
/// may reach the registries) and Claude's shell. Disposing it ends the shell's processes and the proxy.
/// </summary>
public sealed class RunEnvironment(string homePath, SandboxNetwork network, RunShell? shell, IAsyncDisposable? proxy) : IAsyncDisposable
{
    /// <summary>The read-only git view of the snapshot (shown as <c>/repo/.git</c>), when it could be made.</summary>
    public string? GitViewPath { get; init; }

    /// <summary>The run's home on the host: <c>/tmp</c> and <c>HOME</c> in the sandbox.</summary>
    public string HomePath => homePath;

    /// <summary>What the run's setup and shell may reach.</summary>
    public SandboxNetwork Network => network;

    /// <summary>Claude's shell; null when the run has none.</summary>
    public RunShell? Shell => shell;

    /// <summary>The run's dependency caches, restored before setup and saved after it; null when caches are turned off.</summary>
    public RunCaches? Caches { get; init; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (shell is not null)
        {
            await shell.DisposeAsync();
        }

        if (proxy is not null)
        {
            await proxy.DisposeAsync();
        }
    }
}
