using System.Security.Cryptography;
using System.Text;
using CodyBatch.Core.Runs;

namespace CodyBatch.Core.PullRequests;

/// <summary>
/// How a followed pull request changes: opened by a publish, observed by a refresh, told by a
/// webhook, closed by a user. Checks and review are derived from the signals each time; a change
/// of state, checks or review is added to the history with its time.
/// </summary>
public static class PullRequestTracking
{
    /// <summary>A pull request just opened (or found open) by a publish.</summary>
    public static PullRequest Opened(string url, int number, string branch, string? headSha, bool draft, string? patchDigest, DateTimeOffset now) =>
        Record(null, new PullRequest { Url = url, Number = number, Branch = branch, HeadSha = headSha, Draft = draft, PatchDigest = patchDigest, UpdatedAt = now }, now);

    /// <summary>
    /// The campaign's pull request after a publish updated it: a new head (statuses and check
    /// runs start over) and the digest of what it holds now.
    /// </summary>
    public static PullRequest Updated(PullRequest pullRequest, string headSha, string? patchDigest, DateTimeOffset now) =>
        Record(pullRequest, pullRequest with
        {
            HeadSha = headSha,
            PatchDigest = patchDigest,
            Signals = pullRequest.Signals with { Statuses = new Dictionary<string, ChecksState>(), CheckRuns = new Dictionary<string, ChecksState>(), CheckRunSuites = new Dictionary<string, long>() },
        }, now);

    /// <summary>What a refresh read.</summary>
    public static PullRequest Observe(PullRequest pullRequest, PullRequestObservation observation, DateTimeOffset now) =>
        Record(pullRequest, pullRequest with
        {
            State = observation.State,
            Draft = observation.Draft,
            HeadSha = observation.HeadSha,
            Mergeable = observation.Mergeable ?? (observation.HeadSha == pullRequest.HeadSha ? pullRequest.Mergeable : null),
            Signals = observation.Signals,
            Validators = observation.Validators,
            SourceUpdatedAt = Later(pullRequest.SourceUpdatedAt, observation.SourceUpdatedAt),
        }, now);

    /// <summary>Closed by a user of Cody Batch.</summary>
    public static PullRequest Closed(PullRequest pullRequest, DateTimeOffset now) =>
        Record(pullRequest, pullRequest with { State = PullRequestState.Closed }, now);

    /// <summary>Merged by Cody Batch.</summary>
    public static PullRequest Merged(PullRequest pullRequest, DateTimeOffset now) =>
        Record(pullRequest, pullRequest with { State = PullRequestState.Merged }, now);

    /// <summary>Its branch was deleted.</summary>
    public static PullRequest BranchDeleted(PullRequest pullRequest) => pullRequest with { BranchDeleted = true };

    /// <summary>True when <paramref name="webhook"/> is about this run's pull request.</summary>
    public static bool Matches(RepositoryRun run, PullRequestEvent webhook) =>
        run.PullRequest is { } pull
        && string.Equals(run.Repository, webhook.Repository, StringComparison.OrdinalIgnoreCase)
        && (webhook.Numbers.Contains(pull.Number) || (webhook.HeadSha is not null && string.Equals(pull.HeadSha, webhook.HeadSha, StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// True when applying <paramref name="webhook"/> would move the pull request back in time: the
    /// payload's <c>updated_at</c> is older than the stored one, or it reports checks of a commit that
    /// is no longer the head.
    /// </summary>
    public static bool IsStale(PullRequest pullRequest, PullRequestEvent webhook)
    {
        if (webhook.SourceUpdatedAt is { } told && pullRequest.SourceUpdatedAt is { } stored && told < stored)
        {
            return true;
        }

        return webhook.CheckState is not null && webhook.HeadSha is { } about && pullRequest.HeadSha is { } head
            && !string.Equals(about, head, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// True when the delivery has the same <c>updated_at</c> as the stored state (GitHub's times have
    /// whole seconds, so which came last is unknown) and would change the state or the head: GitHub is asked instead.
    /// A merge is never ambiguous: nothing follows it.
    /// </summary>
    public static bool IsAmbiguous(PullRequest pullRequest, PullRequestEvent webhook) =>
        webhook.SourceUpdatedAt is { } told && told == pullRequest.SourceUpdatedAt && webhook.State != PullRequestState.Merged
        && MovesStateOrHead(pullRequest, webhook);

    /// <summary>True when <paramref name="after"/> differs from <paramref name="before"/> in what users see (state, draft, head, checks, review).</summary>
    public static bool Differs(PullRequest before, PullRequest after) =>
        before.State != after.State || before.Draft != after.Draft || before.Checks != after.Checks || before.Review != after.Review
        || !string.Equals(before.HeadSha, after.HeadSha, StringComparison.OrdinalIgnoreCase);

    private static bool MovesStateOrHead(PullRequest pullRequest, PullRequestEvent webhook) =>
        (webhook.State is { } state && state != pullRequest.State)
        || (webhook.NewHeadSha is { } head && !string.Equals(head, pullRequest.HeadSha, StringComparison.OrdinalIgnoreCase));

    /// <summary>What a webhook said (see <see cref="IsStale"/> for what is not applied).</summary>
    public static PullRequest Apply(PullRequest pullRequest, PullRequestEvent webhook, DateTimeOffset now)
    {
        if (IsStale(pullRequest, webhook))
        {
            return pullRequest;
        }

        var signals = pullRequest.Signals;
        var headSha = pullRequest.HeadSha;
        if (webhook.NewHeadSha is { } newHead && !string.Equals(newHead, headSha, StringComparison.OrdinalIgnoreCase))
        {
            headSha = newHead;
            signals = signals with { Statuses = new Dictionary<string, ChecksState>(), CheckRuns = new Dictionary<string, ChecksState>(), CheckRunSuites = new Dictionary<string, long>() };
        }

        if (webhook.StatusContext is { } context && webhook.CheckState is { } statusState)
        {
            signals = signals with { Statuses = With(signals.Statuses, context, statusState) };
        }

        if (webhook.CheckName is { } name && webhook.CheckState is { } runState)
        {
            signals = CheckEvent(signals, name, runState, webhook.CheckSuiteId, webhook.SuiteCompleted);
        }

        // A review or a change of requested reviewers makes the host's last decision stale until the next refresh.
        if (webhook.Reviewer is { } reviewer && webhook.ReviewerState is { } reviewState)
        {
            signals = signals with { Reviews = With(signals.Reviews, reviewer, reviewState), ReviewDecision = null };
        }

        if (webhook.ReviewRequested is { } requested && requested != signals.ReviewRequested)
        {
            signals = signals with { ReviewRequested = requested, ReviewDecision = null };
        }

        return Record(pullRequest, pullRequest with
        {
            State = webhook.State ?? pullRequest.State,
            Draft = webhook.Draft ?? pullRequest.Draft,
            HeadSha = headSha,
            Signals = signals,
            SourceUpdatedAt = Later(pullRequest.SourceUpdatedAt, webhook.SourceUpdatedAt),
        }, now);
    }

    private static DateTimeOffset? Later(DateTimeOffset? stored, DateTimeOffset? told) =>
        stored is null ? told : told is null ? stored : (told > stored ? told : stored);

    /// <summary>The SHA-256 of a patch, as stored in <see cref="PullRequest.PatchDigest"/>.</summary>
    public static string Digest(string patch) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(patch))).ToLowerInvariant();

    // A check run counts under its name; a completed suite replaces the runs of that suite seen before it (a stale
    // failing run of a suite that then completed successfully no longer fails the pull request).
    private static PullRequestSignals CheckEvent(PullRequestSignals signals, string name, ChecksState state, long? suite, bool suiteCompleted)
    {
        var runs = signals.CheckRuns;
        var suites = signals.CheckRunSuites;
        if (suiteCompleted && suite is { } done)
        {
            var superseded = suites.Where(s => s.Value == done).Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
            runs = runs.Where(r => !superseded.Contains(r.Key)).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
            suites = suites.Where(s => s.Value != done).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        }
        else if (suite is { } of)
        {
            suites = With(suites, name, of);
        }

        return signals with { CheckRuns = With(runs, name, state), CheckRunSuites = suites };
    }

    private static IReadOnlyDictionary<string, T> With<T>(IReadOnlyDictionary<string, T> map, string key, T value) =>
        new Dictionary<string, T>(map, StringComparer.Ordinal) { [key] = value };

    private static PullRequest Record(PullRequest? before, PullRequest after, DateTimeOffset now)
    {
        after = after with { Checks = after.Signals.Checks, Review = after.Signals.Review };
        var changed = before is null || before.State != after.State || before.Checks != after.Checks || before.Review != after.Review;
        if (!changed)
        {
            return after with { UpdatedAt = before!.Draft != after.Draft || before.HeadSha != after.HeadSha ? now : before.UpdatedAt };
        }

        var history = (before?.History ?? []).Append(new PullRequestChange(now, after.State, after.Checks, after.Review));
        return after with { UpdatedAt = now, History = [.. history.TakeLast(PullRequest.MaxHistory)] };
    }
}
