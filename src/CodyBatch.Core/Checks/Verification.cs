namespace CodyBatch.Core.Checks;

/// <summary>A run's verification: its status, where its checks came from, and each check before and after.</summary>
public sealed record Verification
{
    /// <summary>The outcome of the comparison.</summary>
    public required VerificationStatus Status { get; init; }

    /// <summary>Where the checks came from ("detected from package.json", "the job", …).</summary>
    public required string Source { get; init; }

    /// <summary>A sentence for the user when there is something to say: why checks were unavailable, which check broke.</summary>
    public string? Reason { get; init; }

    /// <summary>Each check before and after.</summary>
    public IReadOnlyList<CheckComparison> Checks { get; init; } = [];

    /// <summary>Where the setup came from when it was detected ("detected from package-lock.json (npm ci)"); null when the job or the checks file gave it, or there was none.</summary>
    public string? SetupSource { get; init; }

    /// <summary>The setup commands as they ran on the baseline (output tail, time, cause of a failure).</summary>
    public IReadOnlyList<SetupRun> Setup { get; init; } = [];

    /// <summary>
    /// The setup commands as they ran again in the checks' copy before the checks after the change, because the change
    /// touched a file setup depends on (a lock file, a manifest, <c>.npmrc</c>); empty when it touched none.
    /// </summary>
    public IReadOnlyList<SetupRun> SetupAfter { get; init; } = [];

    /// <summary>Equal when status, source, reason, both setups and every check are (the lists compared in order, not by reference).</summary>
    public bool Equals(Verification? other) =>
        other is not null && Status == other.Status && Source == other.Source && Reason == other.Reason && SetupSource == other.SetupSource
        && Checks.SequenceEqual(other.Checks) && Setup.SequenceEqual(other.Setup) && SetupAfter.SequenceEqual(other.SetupAfter);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Status, Source, Reason, Checks.Count);

    /// <summary>The checks that passed on the baseline and fail after the change.</summary>
    public IEnumerable<CheckComparison> BrokenChecks() => Checks.Where(c => c.Before?.Passed == true && c.After?.Passed != true);
}
