namespace CodyBatch.Core.PullRequests;

/// <summary>How many of a job's pull requests were open, merged and closed from <paramref name="At"/> on.</summary>
public sealed record BurndownPoint(DateTimeOffset At, int Open, int Merged, int Closed);
