using CodyBatch.Core.Jobs;

namespace CodyBatch.Core.PullRequests;

/// <summary>A job after an action on its pull requests, how many it acted on, and a sentence for each one that failed.</summary>
public sealed record PullRequestActionResult(Job Job, int Acted, IReadOnlyList<string> Problems);
