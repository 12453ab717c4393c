using CodyBatch.Core.Checks;

namespace CodyBatch.Jobs;

/// <summary>A repository run as the API shows it (lease internals left out).</summary>
public sealed record RunResponse(
    string Repository,
    string? Source,
    RunStatus Status,
    bool? WereChangesNecessary,
    string? Summary,
    string? PullRequestUrl,
    string? PullRequestBranch,
    string? CommitSha,
    string? Error,
    string? Notice,
    string? Activity,
    UsageResponse Usage,
    int Attempts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    bool CancelRequested,
    string? PatchUrl,
    string? ThreadUrl,
    DiffStat? Changes,
    int ThreadEntries,
    Verification? Verification,
    PullRequestResponse? PullRequest,
    TriageAnswer? Triage,
    bool PublishHeld,
    Core.PullRequests.FollowUpRound? Round)
{
    public static RunResponse From(string jobId, RepositoryRun run)
    {
        var path = $"/api/jobs/{jobId}/repositories/{run.Repository}";
        return new(
            run.Repository,
            run.Source,
            run.Status,
            run.WereChangesNecessary,
            run.Summary,
            run.PullRequestUrl,
            run.PullRequestBranch,
            run.CommitSha,
            run.Error,
            run.Notice,
            run.Activity,
            UsageResponse.From(run.Usage),
            run.Attempts,
            run.StartedAt,
            run.FinishedAt,
            run.CancelRequested,
            run.PatchArtifact is null ? null : $"{path}/patch",
            run.ThreadArtifact is null ? null : $"{path}/thread",
            run.Changes,
            run.ThreadEntries,
            run.Verification,
            PullRequestResponse.From(run.PullRequest),
            run.Triage,
            run.PublishHeld,
            run.Round);
    }
}

/// <summary>Tokens and cost.</summary>
public sealed record UsageResponse(long InputTokens, long OutputTokens, long CacheReadTokens, long CacheWriteTokens, decimal CostUsd)
{
    public static UsageResponse From(TokenUsage usage) =>
        new(usage.InputTokens, usage.OutputTokens, usage.CacheReadTokens, usage.CacheWriteTokens, usage.CostUsd);
}
