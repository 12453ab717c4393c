namespace CodyBatch.PullRequests;

/// <summary>A run's pull request as the API shows it.</summary>
public sealed record PullRequestResponse(
    string Url,
    int Number,
    string Branch,
    PullRequestState State,
    bool Draft,
    string? HeadSha,
    ChecksState Checks,
    ReviewState? Review,
    DateTimeOffset UpdatedAt,
    bool BranchDeleted,
    bool? Mergeable = null,
    bool AutoMergeEnabled = false,
    string? MergeNote = null,
    ShepherdState? Shepherd = null)
{
    public static PullRequestResponse? From(PullRequest? pull) => pull is null
        ? null
        : new(pull.Url, pull.Number, pull.Branch, pull.State, pull.Draft, pull.HeadSha, pull.Checks, pull.Review, pull.UpdatedAt, pull.BranchDeleted, pull.Mergeable, pull.AutoMergeEnabled, pull.MergeNote, pull.Shepherd);
}
