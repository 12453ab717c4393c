namespace CodyBatch.Core.PullRequests;

/// <summary>One change of a pull request's state, checks or review, with when it was seen.</summary>
/// <param name="At">When Cody Batch learned of it.</param>
/// <param name="State">The state from then on.</param>
/// <param name="Checks">The checks from then on.</param>
/// <param name="Review">The review decision from then on.</param>
public sealed record PullRequestChange(DateTimeOffset At, PullRequestState State, ChecksState Checks, ReviewState? Review);
