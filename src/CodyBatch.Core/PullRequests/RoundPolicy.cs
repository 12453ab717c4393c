namespace CodyBatch.Core.PullRequests;

/// <summary>Which events start a follow-up round on a job's pull requests, how many rounds a pull request gets, and what one may cost.</summary>
/// <param name="Reviews">Reviews requesting changes or commenting, and line comments, from people with write access.</param>
/// <param name="Mentions">Comments that mention the service account, from people with write access.</param>
/// <param name="FailingChecks">Checks that fail on the head and not on the base branch.</param>
/// <param name="Conflicts">A conflict with the base branch (the round rebuilds the change on it).</param>
/// <param name="MaxRounds">Rounds per pull request; past them a comment says a person is needed.</param>
/// <param name="MaxCostUsd">What one round's agent may spend, in US dollars (the run's own budget still holds when lower).</param>
public sealed record RoundPolicy(
    bool Reviews = true, bool Mentions = true, bool FailingChecks = true, bool Conflicts = true, int MaxRounds = 2, decimal MaxCostUsd = 2m)
{
    /// <summary>Whether <paramref name="kind"/> may start a round at all.</summary>
    public bool Allows(RoundSignalKind kind) => kind switch
    {
        RoundSignalKind.Review or RoundSignalKind.ReviewComment => Reviews,
        RoundSignalKind.Comment => Mentions,
        RoundSignalKind.FailingChecks => FailingChecks,
        _ => Conflicts,
    };

    /// <summary>The setting's name for <paramref name="kind"/>, for the sentence that says it is off.</summary>
    public static string SettingOf(RoundSignalKind kind) => kind switch
    {
        RoundSignalKind.Review or RoundSignalKind.ReviewComment => "reviews",
        RoundSignalKind.Comment => "mentions",
        RoundSignalKind.FailingChecks => "failingChecks",
        _ => "conflicts",
    };
}
