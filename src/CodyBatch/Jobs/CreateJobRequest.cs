namespace CodyBatch.Jobs;

/// <summary>The body of <c>POST /api/jobs</c>.</summary>
/// <param name="Prompt">The instruction for Claude (1–20,000 characters).</param>
/// <param name="Repositories">1–5 repositories as owner/name.</param>
/// <param name="Mode">"pullRequest" (default), "patch", or "triage" (read-only: Claude answers whether the change is necessary, with a reason and a confidence, on the server's triage model unless the job names one).</param>
/// <param name="Model">A Claude model id; the server's default when absent.</param>
/// <param name="Title">An optional title (up to 200 characters).</param>
/// <param name="ThinkingBudgetTokens">Extended thinking's budget per response, 1,024–64,000 tokens; no extended thinking when absent.</param>
/// <param name="Checks">Check command lines run in every repository before and after the change; absent to use each repository's own (its .codybatch/checks.json, or detected), empty for none.</param>
/// <param name="Shell">Whether Claude gets a shell (the bash tool) in the run's sandbox; the server's setting (CodyBatch:Shell:Enabled) when absent. A job can turn it off, never on when the server has it off.</param>
/// <param name="Network">"registries" (the package registries on the server's allow-list, through the egress proxy) or "none": what setup and the shell may reach; the server's setting (CodyBatch:Egress:Network) when absent. A job can narrow it, never widen it.</param>
/// <param name="BudgetUsd">Most the job may cost in US dollars, all its runs together (0.01–10,000): each run starts with the smaller of the server's run budget (CodyBatch:Agent:MaxCostUsd) and what is left, runs in flight stop incomplete once it is spent, and no new run starts; none when absent.</param>
/// <param name="Publish">How pull requests look: draft, labels, reviewers, team reviewers, assignees, branch prefix; the server's defaults for what is left out.</param>
public sealed record CreateJobRequest(
    string? Prompt,
    IReadOnlyList<string?>? Repositories,
    string? Mode = null,
    string? Model = null,
    string? Title = null,
    int? ThinkingBudgetTokens = null,
    IReadOnlyList<string?>? Checks = null,
    Core.Publishing.PublishChoices? Publish = null,
    bool? Shell = null,
    string? Network = null,
    decimal? BudgetUsd = null);
