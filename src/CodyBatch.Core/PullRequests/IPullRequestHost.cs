namespace CodyBatch.Core.PullRequests;

/// <summary>The host side of following pull requests (GitHub).</summary>
public interface IPullRequestHost
{
    /// <summary>
    /// Reads the pull request, its head commit's checks and its reviews, sending the stored entity
    /// tags so that what did not change costs nothing against the rate limit.
    /// </summary>
    Task<PullRequestObservation> ObserveAsync(string repository, PullRequest pullRequest, CancellationToken cancellationToken);

    /// <summary>
    /// Reads many pull requests at once (GitHub: a few GraphQL queries for all of them, with per-request REST as the
    /// fallback); one reading per pull request, in order. A pull request that could not be read has a problem, not an exception.
    /// </summary>
    Task<PullRequestBatch> ObserveManyAsync(IReadOnlyList<(string Repository, PullRequest PullRequest)> pulls, CancellationToken cancellationToken);

    /// <summary>Leaves <paramref name="comment"/> on the pull request (when not empty) and closes it.</summary>
    Task CloseAsync(string repository, PullRequest pullRequest, string? comment, CancellationToken cancellationToken);

    /// <summary>Deletes the pull request's branch; a branch already gone is no failure.</summary>
    Task DeleteBranchAsync(string repository, PullRequest pullRequest, CancellationToken cancellationToken);

    /// <summary>
    /// Publishes <paramref name="report"/> on <paramref name="headSha"/> of <paramref name="repository"/> (GitHub: a check
    /// run with a GitHub App, a commit status with a token) and returns what it became ("check run", "commit status").
    /// </summary>
    Task<string> PublishVerificationAsync(string repository, string headSha, VerificationReport report, CancellationToken cancellationToken);

    /// <summary>
    /// Merges the pull request with <paramref name="method"/>, only while its head is still <see cref="PullRequest.HeadSha"/>
    /// (GitHub refuses a head that moved); a refusal is a result with the host's reason, not an exception.
    /// </summary>
    Task<MergeAttempt> MergeAsync(string repository, PullRequest pullRequest, Publishing.MergeMethod method, CancellationToken cancellationToken);

    /// <summary>Enables the host's auto-merge with <paramref name="method"/> where the repository allows it; otherwise a result that says why not.</summary>
    Task<MergeAttempt> EnableAutoMergeAsync(string repository, PullRequest pullRequest, Publishing.MergeMethod method, CancellationToken cancellationToken);

    /// <summary>Leaves <paramref name="comment"/> on the pull request's conversation.</summary>
    Task CommentAsync(string repository, PullRequest pullRequest, string comment, CancellationToken cancellationToken);

    /// <summary>The checks (commit statuses and check runs) that fail on the pull request's head and on its base branch's commit.</summary>
    Task<(IReadOnlyList<string> Head, IReadOnlyList<string> Base)> FailingChecksAsync(string repository, PullRequest pullRequest, CancellationToken cancellationToken);

    /// <summary>
    /// Reads what follow-up <paramref name="round"/> is told: the pull request's head and current diff, and the review's
    /// comments, the comment, or the failing checks with their annotations and log tails.
    /// </summary>
    Task<RoundMaterial> ReadRoundAsync(string repository, PullRequest pullRequest, FollowUpRound round, CancellationToken cancellationToken);

    /// <summary>Replies under the line comment <paramref name="commentId"/> of the pull request.</summary>
    Task ReplyAsync(string repository, PullRequest pullRequest, long commentId, string body, CancellationToken cancellationToken);

    /// <summary>Asks <paramref name="logins"/> to review the pull request (again).</summary>
    Task RequestReviewAsync(string repository, PullRequest pullRequest, IReadOnlyList<string> logins, CancellationToken cancellationToken);
}
