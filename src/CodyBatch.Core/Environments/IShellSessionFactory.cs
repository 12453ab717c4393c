namespace CodyBatch.Core.Environments;

/// <summary>Starts persistent shell sessions inside a run's sandbox; never a shell outside one.</summary>
public interface IShellSessionFactory
{
    /// <summary>Null when a shell can run here; otherwise one sentence saying why not and what to install.</summary>
    Task<string?> UnavailableReasonAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Starts a session: <c>/repo</c> is <see cref="ShellSessionRequest.RepositoryPath"/>, read-write; <c>/tmp</c>
    /// (also <c>HOME</c>) is <see cref="ShellSessionRequest.HomePath"/>; nothing else of the machine is writable.
    /// Throws <see cref="Checks.CheckSandboxUnavailableException"/> when the sandbox cannot run.
    /// </summary>
    Task<IShellSession> StartAsync(ShellSessionRequest request, CancellationToken cancellationToken);
}
