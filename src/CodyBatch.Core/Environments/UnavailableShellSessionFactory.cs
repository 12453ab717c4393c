using CodyBatch.Core.Checks;

namespace CodyBatch.Core.Environments;

/// <summary>The shell where no sandbox is configured: never started, with the reason.</summary>
public sealed class UnavailableShellSessionFactory : IShellSessionFactory
{
    private const string Reason = "The shell is unavailable: no sandbox is configured on this server.";

    /// <inheritdoc />
    public Task<string?> UnavailableReasonAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(Reason);

    /// <inheritdoc />
    public Task<IShellSession> StartAsync(ShellSessionRequest request, CancellationToken cancellationToken) =>
        throw new CheckSandboxUnavailableException(Reason);
}
