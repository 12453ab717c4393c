namespace CodyBatch.Core.Environments;

/// <summary>Where a shell session works.</summary>
/// <param name="RepositoryPath">The host folder shown as <c>/repo</c>, writable: the run's workspace.</param>
/// <param name="HomePath">The host folder shown as <c>/tmp</c> and used as <c>HOME</c>: the run's one home, shared with its setup and checks.</param>
/// <param name="Network">How the session may reach the network.</param>
public sealed record ShellSessionRequest(string RepositoryPath, string HomePath, SandboxNetwork Network)
{
    /// <summary>The read-only git view of the snapshot shown as <c>/repo/.git</c>; none when null.</summary>
    public string? GitViewPath { get; init; }

    /// <summary>Writes into the workspace by anything but the shell, noted so the session hands them to the sandbox's user only when there were any.</summary>
    public WorkspaceWrites Writes { get; init; } = new();
}
