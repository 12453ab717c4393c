namespace CodyBatch.Core.Checks;

/// <summary>A run's checks between the baseline and the end: the plan, how the baseline did, or why they cannot run.</summary>
public sealed class CheckState
{
    /// <summary>The state after the baseline: the plan, the baseline results (null when not run), or why checks cannot run.</summary>
    public CheckState(CheckPlan plan, IReadOnlyList<CheckResult>? baseline, string? unavailable)
    {
        Plan = plan;
        Baseline = baseline;
        UnavailableReason = unavailable;
    }

    /// <summary>Which checks, from where.</summary>
    public CheckPlan Plan { get; }

    /// <summary>The checks' results on the pristine snapshot; null when they did not run.</summary>
    public IReadOnlyList<CheckResult>? Baseline { get; }

    /// <summary>Why the checks cannot run here, when they cannot.</summary>
    public string? UnavailableReason { get; }

    /// <summary>The copy of the workspace the checks run in, once made.</summary>
    public CheckTree? Tree { get; init; }

    /// <summary>The read-only git view of the snapshot later checks see as <c>/repo/.git</c>, when the run has one.</summary>
    public string? GitViewPath { get; init; }

    /// <summary>The setup commands as they ran before the baseline's checks; empty when there were none.</summary>
    public IReadOnlyList<CheckResult> Setup { get; init; } = [];

    /// <summary>
    /// The setup commands as they last ran in the checks' copy after the change touched a file setup depends on (see
    /// <see cref="SetupInputs"/>); empty when none ran.
    /// </summary>
    public IReadOnlyList<CheckResult> SetupAfter { get; internal set; } = [];

    /// <summary>The run's network for setup (the egress proxy), which a setup after the change gets too; null for none.</summary>
    public Environments.SandboxNetwork? Network { get; init; }

    /// <summary>
    /// True when a setup after the change runs without network although the run has one: the run gives Claude no shell,
    /// so what the change added to setup's files (an install script in <c>package.json</c>) runs only as the checks run
    /// the change's code, offline, from the run's caches.
    /// </summary>
    public bool SetupAfterOffline { get; init; }

    /// <summary>True once the run's environment (its network) has ended: a setup after that runs without network.</summary>
    internal bool EnvironmentEnded { get; set; }

    /// <summary>
    /// The files setup depends on that the change has touched so far, their digest when setup last ran (null: the
    /// baseline's), and whether that setup failed for the environment's sake (then it runs again while the network is up).
    /// </summary>
    internal (HashSet<string> Touched, string? Digest, bool Retry) SetupInputsSeen { get; set; } = ([], null, false);

    /// <summary>The run's home the setup filled (what later checks find in <c>/tmp</c>), when the run has one.</summary>
    public string? HomePath { get; init; }

    /// <summary>True when there are checks and the sandbox ran them on the baseline.</summary>
    public bool CanRun => Baseline is not null && UnavailableReason is null && Plan.Checks.Count > 0;
}
