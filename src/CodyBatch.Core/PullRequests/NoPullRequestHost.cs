using CodyBatch.Core.Runs;

namespace CodyBatch.Core.PullRequests;

/// <summary>Where no repository host follows pull requests (a process without GitHub): every action says so.</summary>
public sealed class NoPullRequestHost : IPullRequestHost
{
    private const string Why = "No pull request host is configured in this process, so pull requests cannot be followed here.";

    /// <inheritdoc />
    public Task<PullRequestObservation> ObserveAsync(string repository, PullRequest pullRequest, CancellationToken cancellationToken) => throw new RunFailedException(Why);

    /// <inheritdoc />
    public Task<PullRequestBatch> ObserveManyAsync(IReadOnlyList<(string Repository, PullRequest PullRequest)> pulls, CancellationToken cancellationToken) =>
        Task.FromResult(new PullRequestBatch([.. pulls.Select(_ => new PullRequestReading(null, Why))], 0, 0, 0));

    /// <inheritdoc />
    public Task CloseAsync(string repository, PullRequest pullRequest, string? comment, CancellationToken cancellationToken) => throw new RunFailedException(Why);

    /// <inheritdoc />
    public Task DeleteBranchAsync(string repository, PullRequest pullRequest, CancellationToken cancellationToken) => throw new RunFailedException(Why);

    /// <inheritdoc />
    public Task<string> PublishVerificationAsync(string repository, string headSha, VerificationReport report, CancellationToken cancellationToken) => throw new RunFailedException(Why);

    /// <inheritdoc />
    public Task<MergeAttempt> MergeAsync(string repository, PullRequest pullRequest, Publishing.MergeMethod method, CancellationToken cancellationToken) =>
        Task.FromResult(new MergeAttempt(false, Why));

    /// <inheritdoc />
    public Task<MergeAttempt> EnableAutoMergeAsync(string repository, PullRequest pullRequest, Publishing.MergeMethod method, CancellationToken cancellationToken) =>
        Task.FromResult(new MergeAttempt(false, Why));

    /// <inheritdoc />
    public Task CommentAsync(string repository, PullRequest pullRequest, string comment, CancellationToken cancellationToken) => throw new RunFailedException(Why);

    /// <inheritdoc />
    public Task<(IReadOnlyList<string> Head, IReadOnlyList<string> Base)> FailingChecksAsync(string repository, PullRequest pullRequest, CancellationToken cancellationToken) =>
        throw new RunFailedException(Why);

    /// <inheritdoc />
    public Task<RoundMaterial> ReadRoundAsync(string repository, PullRequest pullRequest, FollowUpRound round, CancellationToken cancellationToken) =>
        throw new RunFailedException(Why);

    /// <inheritdoc />
    public Task ReplyAsync(string repository, PullRequest pullRequest, long commentId, string body, CancellationToken cancellationToken) => throw new RunFailedException(Why);

    /// <inheritdoc />
    public Task RequestReviewAsync(string repository, PullRequest pullRequest, IReadOnlyList<string> logins, CancellationToken cancellationToken) =>
        throw new RunFailedException(Why);
}
