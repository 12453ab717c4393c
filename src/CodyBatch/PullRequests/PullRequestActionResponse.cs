namespace CodyBatch.PullRequests;

/// <summary>The job after an action on its pull requests, how many pull requests it acted on, and a sentence for each that failed.</summary>
public sealed record PullRequestActionResponse(JobResponse Job, int Acted, IReadOnlyList<string> Problems);
