namespace CodyBatch.Core.PullRequests;

/// <summary>What a refresh read from the host.</summary>
/// <param name="State">Open, closed or merged.</param>
/// <param name="Draft">Whether it is a draft.</param>
/// <param name="HeadSha">The head commit.</param>
/// <param name="Signals">Statuses, check runs and reviews.</param>
/// <param name="Validators">The entity tags to send next time.</param>
/// <param name="Calls">Requests made.</param>
/// <param name="NotModified">Requests answered 304 Not Modified (not counted against the rate limit).</param>
/// <param name="SourceUpdatedAt">The host's own <c>updated_at</c> of the pull request, when it was read.</param>
/// <param name="Mergeable">False when the host reports a conflict with the base branch, true when it merges cleanly, null while unknown.</param>
public sealed record PullRequestObservation(
    PullRequestState State,
    bool Draft,
    string HeadSha,
    PullRequestSignals Signals,
    IReadOnlyDictionary<string, string> Validators,
    int Calls,
    int NotModified,
    DateTimeOffset? SourceUpdatedAt = null,
    bool? Mergeable = null);
