namespace CodyBatch.Core.PullRequests;

/// <summary>
/// A run's verification as it is published on its pull request's head commit: as a commit status
/// <c>codybatch/verification</c> (with a token) or a check run of that name (with a GitHub App).
/// </summary>
/// <param name="State">The status: <c>success</c>, <c>failure</c>, <c>pending</c> or <c>error</c>.</param>
/// <param name="Description">One line of at most <see cref="VerificationReports.MaxDescription"/> characters.</param>
/// <param name="Summary">The before/after table as markdown (a check run's <c>output.summary</c>).</param>
/// <param name="DetailsUrl">The run in Cody Batch, when a public URL is configured.</param>
public sealed record VerificationReport(string State, string Description, string Summary, string? DetailsUrl);
