namespace CodyBatch.PullRequests;

/// <summary>The body of <c>POST /api/jobs/{id}/pull-requests/close</c>.</summary>
/// <param name="Comment">Left on each pull request before it is closed; the configured comment when absent.</param>
public sealed record ClosePullRequestsRequest(string? Comment = null);
