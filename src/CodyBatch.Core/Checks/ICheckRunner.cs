namespace CodyBatch.Core.Checks;

/// <summary>
/// Runs repository commands in a sandbox: no secrets, no network (setup may be allowed the network),
/// writes only to the session's copy and a private temporary folder, with time, memory and process
/// limits, the whole process tree killed at a limit. Never runs a command unsandboxed.
/// </summary>
public interface ICheckRunner
{
    /// <summary>Null when the sandbox works on this machine; otherwise one sentence saying why not and what to install.</summary>
    Task<string?> UnavailableReasonAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs the setup and then the checks in the session's tree. A failing setup command stops the session:
    /// the checks are reported as not run, with the reason. Before the setup, the session's kept installed tree (which
    /// then stands for the setup) or else its dependency caches are restored; right after a setup that passed, both are
    /// saved. Throws <see cref="CheckSandboxUnavailableException"/> when the sandbox cannot run.
    /// </summary>
    Task<CheckSessionResult> RunAsync(CheckSession session, CancellationToken cancellationToken);
}
