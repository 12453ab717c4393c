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

    /// <summary>Equal when status, source, reason and every check are (the checks compared in order, not by reference).</summary>
    public bool Equals(Verification? other) =>
        other is not null && Status == other.Status && Source == other.Source && Reason == other.Reason && Checks.SequenceEqual(other.Checks);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Status, Source, Reason, Checks.Count);

    /// <summary>The checks that passed on the baseline and fail after the change.</summary>
    public IEnumerable<CheckComparison> BrokenChecks() => Checks.Where(c => c.Before?.Passed == true && c.After?.Passed != true);
}
