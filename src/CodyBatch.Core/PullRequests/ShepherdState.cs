namespace CodyBatch.Core.PullRequests;

/// <summary>What the shepherd keeps per pull request: rounds run, whether a person is needed, and its decisions.</summary>
public sealed record ShepherdState
{
    /// <summary>The most decisions kept; older ones are dropped first.</summary>
    public const int MaxDecisions = 50;

    /// <summary>Nothing decided yet.</summary>
    public static ShepherdState Empty { get; } = new();

    /// <summary>Follow-up rounds started on the pull request.</summary>
    public int Rounds { get; init; }

    /// <summary>True once the pull request went past its bound of rounds: a person is needed.</summary>
    public bool NeedsAttention { get; init; }

    /// <summary>Every decision, oldest first (one per cause).</summary>
    public IReadOnlyList<ShepherdDecision> Decisions { get; init; } = [];

    /// <summary>The rounds started, oldest first: each a job of the campaign, shown under the run that opened the pull request.</summary>
    public IReadOnlyList<ShepherdRound> Started { get; init; } = [];

    /// <summary>Equal when the counts are and the decisions are, in order.</summary>
    public bool Equals(ShepherdState? other) =>
        other is not null && Rounds == other.Rounds && NeedsAttention == other.NeedsAttention && Decisions.SequenceEqual(other.Decisions)
        && Started.SequenceEqual(other.Started);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Rounds, NeedsAttention, Decisions.Count);
}
