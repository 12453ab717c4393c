using System.Text.RegularExpressions;

namespace CodyBatch.Core.PullRequests;

/// <summary>
/// Decides, from one event on a pull request, whether a follow-up round is due. A review requesting changes or
/// with comments, a review comment, or a comment mentioning the service account start one only when their author
/// has write access (GitHub's <c>author_association</c> OWNER, MEMBER or COLLABORATOR) and is not the service account
/// itself; failing checks only when they do not fail on the base branch too; a conflict always. Each cause is decided
/// once (redeliveries, refreshes and overlapping triggers find it decided), and past the bound of rounds nothing
/// starts: the first such decision says a person is needed.
/// </summary>
public static class RoundTriggers
{
    /// <summary>The associations that mean write access to the repository.</summary>
    public static IReadOnlySet<string> WriteAccess { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "OWNER", "MEMBER", "COLLABORATOR" };

    /// <summary>The decision for <paramref name="signal"/> on <paramref name="pull"/>.</summary>
    /// <param name="pull">The pull request with what the shepherd kept.</param>
    /// <param name="signal">What happened.</param>
    /// <param name="handle">The service account's login (without <c>@</c>); null when not known, so no comment can be told apart from its own.</param>
    /// <param name="maxRounds">Rounds allowed per pull request.</param>
    public static RoundDecision Decide(PullRequest pull, RoundSignal signal, string? handle, int maxRounds) =>
        Decide(pull, signal, handle, new RoundPolicy(MaxRounds: maxRounds));

    /// <summary>The decision for <paramref name="signal"/> on <paramref name="pull"/> under the job's <paramref name="policy"/>.</summary>
    /// <param name="pull">The pull request with what the shepherd kept.</param>
    /// <param name="signal">What happened.</param>
    /// <param name="handle">The service account's login (without <c>@</c>); null when not known.</param>
    /// <param name="policy">Which events start rounds, and how many a pull request gets.</param>
    public static RoundDecision Decide(PullRequest pull, RoundSignal signal, string? handle, RoundPolicy policy)
    {
        var maxRounds = policy.MaxRounds;
        var cause = $"{signal.Kind.ToString().ToLowerInvariant()}:{signal.Id}";
        if (pull.Shepherd.Decisions.FirstOrDefault(d => d.Cause == cause) is { } earlier)
        {
            return new RoundDecision(cause, false, $"No round: this was decided already ({earlier.Reason})");
        }

        if (Refusal(pull, signal, handle) is { } refusal)
        {
            return new RoundDecision(cause, false, $"No round: {refusal}.");
        }

        if (!policy.Allows(signal.Kind))
        {
            return new RoundDecision(cause, false, $"No round: the job's rounds.{RoundPolicy.SettingOf(signal.Kind)} setting is off ({Why(signal)}).");
        }

        var why = Why(signal);
        if (pull.Shepherd.Rounds >= maxRounds)
        {
            return new RoundDecision(
                cause,
                false,
                $"No round: {why}, but the pull request had its {maxRounds} round{(maxRounds == 1 ? "" : "s")}; a person is needed.",
                NeedsAttention: !pull.Shepherd.NeedsAttention);
        }

        return new RoundDecision(cause, true, $"Round due: {why}.");
    }

    /// <summary>
    /// <paramref name="pull"/> with <paramref name="decision"/> kept (once per cause); past the bound it needs attention.
    /// </summary>
    public static PullRequest Record(PullRequest pull, RoundDecision decision, DateTimeOffset now)
    {
        if (pull.Shepherd.Decisions.Any(d => d.Cause == decision.Cause))
        {
            return pull;
        }

        var decisions = pull.Shepherd.Decisions.Append(new ShepherdDecision(now, decision.Cause, decision.Due, decision.Reason)).TakeLast(ShepherdState.MaxDecisions).ToList();
        return pull with { Shepherd = pull.Shepherd with { Decisions = decisions, NeedsAttention = pull.Shepherd.NeedsAttention || decision.NeedsAttention } };
    }

    // Why no round can come of it at all; null when one may.
    private static string? Refusal(PullRequest pull, RoundSignal signal, string? handle)
    {
        if (pull.State != PullRequestState.Open)
        {
            return $"the pull request is {pull.State.ToString().ToLowerInvariant()}";
        }

        if (signal.Kind is RoundSignalKind.FailingChecks)
        {
            var inherited = signal.FailingOnBase.ToHashSet(StringComparer.Ordinal);
            var failing = signal.FailingOnHead.Where(c => !inherited.Contains(c)).ToList();
            return signal.FailingOnHead.Count == 0 ? "no check fails on the head"
                : failing.Count == 0 ? $"{string.Join(", ", signal.FailingOnHead)} fail{(signal.FailingOnHead.Count == 1 ? "s" : "")} on the base branch too"
                : null;
        }

        if (signal.Kind is RoundSignalKind.Conflict)
        {
            return null;
        }

        var author = signal.Author ?? "";
        if (handle is null)
        {
            return "the service account's handle is not set (CodyBatch:Shepherd:Handle), so its own comments cannot be told apart";
        }

        if (IsSelf(author, handle))
        {
            return "Cody Batch wrote it";
        }

        if (!WriteAccess.Contains(signal.AuthorAssociation ?? ""))
        {
            return $"the reviewer has no write access ({author} is {Association(signal.AuthorAssociation)} of the repository)";
        }

        return signal.Kind switch
        {
            RoundSignalKind.Review when signal.ReviewState is "approved" => "an approval asks for nothing",
            RoundSignalKind.Review when signal.ReviewState is "dismissed" => "a dismissed review asks for nothing",
            RoundSignalKind.Review when signal.ReviewState is "commented" && string.IsNullOrWhiteSpace(signal.Body) => "the review has no comment of its own (its line comments are decided one by one)",
            RoundSignalKind.Comment when !Mentions(signal.Body, handle) => $"the comment does not mention @{handle}",
            _ => null,
        };
    }

    private static string Why(RoundSignal signal) => signal.Kind switch
    {
        RoundSignalKind.Review when signal.ReviewState == "changes_requested" => $"{signal.Author} ({signal.AuthorAssociation}) requested changes",
        RoundSignalKind.Review => $"{signal.Author} ({signal.AuthorAssociation}) commented in a review",
        RoundSignalKind.ReviewComment => $"{signal.Author} ({signal.AuthorAssociation}) commented on the diff",
        RoundSignalKind.Comment => $"{signal.Author} ({signal.AuthorAssociation}) mentioned the service account",
        RoundSignalKind.FailingChecks => $"{string.Join(", ", signal.FailingOnHead.Except(signal.FailingOnBase, StringComparer.Ordinal))} fail{(signal.FailingOnHead.Except(signal.FailingOnBase, StringComparer.Ordinal).Count() == 1 ? "s" : "")} on the head and not on the base branch",
        _ => "the branch conflicts with the base branch",
    };

    // The service account itself: its login, or its GitHub App's bot login (slug[bot]).
    private static bool IsSelf(string author, string handle) =>
        author.Equals(handle, StringComparison.OrdinalIgnoreCase)
        || author.Equals($"{handle}[bot]", StringComparison.OrdinalIgnoreCase)
        || (handle.EndsWith("[bot]", StringComparison.OrdinalIgnoreCase) && author.Equals(handle[..^5], StringComparison.OrdinalIgnoreCase));

    // @handle as GitHub links it: not inside an e-mail address or a longer name.
    private static bool Mentions(string? body, string handle)
    {
        var name = handle.EndsWith("[bot]", StringComparison.OrdinalIgnoreCase) ? handle[..^5] : handle;
        return body is not null && Regex.IsMatch(body, $@"(?<![\w@.-])@{Regex.Escape(name)}(?![\w-])", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
    }

    private static string Association(string? association) => association?.ToUpperInvariant() switch
    {
        "CONTRIBUTOR" => "a contributor without write access",
        "FIRST_TIME_CONTRIBUTOR" or "FIRST_TIMER" => "a first-time contributor",
        "NONE" or null or "" => "not a member or collaborator",
        var other => $"{other.ToLowerInvariant()}",
    };
}
