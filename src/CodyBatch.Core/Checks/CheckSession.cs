namespace CodyBatch.Core.Checks;

/// <summary>One sandboxed session: the setup commands, then the checks, in <paramref name="TreePath"/>.</summary>
/// <param name="TreePath">The tree the sandbox shows as the repository, its only writable folder besides a private /tmp (a <see cref="CheckTree"/>, never the workspace).</param>
/// <param name="Setup">Setup commands, run before the checks; the first to fail stops the session.</param>
/// <param name="Checks">The checks to run.</param>
/// <param name="AllowSetupNetwork">Whether setup commands may reach the network (checks never do).</param>
public sealed record CheckSession(string TreePath, IReadOnlyList<string> Setup, IReadOnlyList<CheckDefinition> Checks, bool AllowSetupNetwork = false)
{
    /// <summary>The run's home, shown as <c>/tmp</c> and <c>HOME</c> to every command of the run; null for an empty one per command.</summary>
    public string? HomePath { get; init; }

    /// <summary>
    /// The run's network for setup: the egress proxy when the job may reach the registries. When set it replaces
    /// <see cref="AllowSetupNetwork"/> (the host's network); checks never get it.
    /// </summary>
    public Environments.SandboxNetwork? Network { get; init; }

    /// <summary>The read-only git view of the snapshot, shown as <c>/repo/.git</c>; none when null.</summary>
    public string? GitViewPath { get; init; }

    /// <summary>
    /// The run's dependency caches: restored into the home before the setup (unless the kept installed tree stands for
    /// it) and saved right after a setup that passed, before the checks run; none when null.
    /// </summary>
    public Environments.RunCaches? Caches { get; init; }

    /// <summary>
    /// The repository's kept installed tree (<c>node_modules/</c>): restored into the tree in place of the setup when its
    /// key matches, and kept right after a setup that passed, before the checks run; none when null.
    /// </summary>
    public Environments.InstalledTree? Installed { get; init; }
}
