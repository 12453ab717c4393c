namespace CodyBatch.Core.Checks;

/// <summary>The runner of a host that wires no sandbox: every check is refused, with the reason.</summary>
public sealed class UnavailableCheckRunner : ICheckRunner
{
    /// <summary>What the refusal says.</summary>
    public const string Reason = "Checks were not run: this host has no check sandbox configured (codybatch wires bubblewrap; install the Debian package bubblewrap).";

    /// <inheritdoc />
    public Task<string?> UnavailableReasonAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(Reason);

    /// <inheritdoc />
    public Task<CheckSessionResult> RunAsync(CheckSession session, CancellationToken cancellationToken) =>
        throw new CheckSandboxUnavailableException(Reason);
}
