using System.Text.Json.Nodes;

namespace CodyBatch.Core.Tests.Engine;

/// <summary>A run whose budget runs out keeps its work: the patch, a draft pull request, and the status incomplete.</summary>
public sealed class IncompleteRunTests : IDisposable
{
    private const string Reason = "The run used its 40 turns (CodyBatch:Agent:MaxTurns) without Claude submitting a result.";
    private readonly TempDirectory _data = new("codybatch-incomplete");

    public void Dispose() => _data.Dispose();

    // Edits the README, then runs out of budget before submitting.
    private static ScriptedCodeAgent RunningOut() => new(async (request, ct) =>
    {
        await File.AppendAllTextAsync(Path.Combine(request.WorkspacePath, "README.md"), "half of the change\n", ct);
        request.Thread.Add("stopped", new JsonObject { ["reason"] = Reason, ["incomplete"] = true });
        var usage = new TokenUsage(InputTokens: 4000, OutputTokens: 900, CostUsd: 0.03m);
        request.Usage.Report(usage);
        return AgentOutcome.Incomplete(Reason, usage);
    });

    [Fact]
    public async Task A_budget_that_runs_out_ends_the_run_incomplete_with_its_patch_and_a_draft_pull_request()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/api");
        var agent = RunningOut();
        await using var engine = await EngineHarness.StartAsync(_data.Path, host, agent);
        var jobId = (await engine.CreateAsync("acme/api")).Id;

        var job = await engine.WaitForEndAsync(jobId);
        var run = job.FindRun("acme/api")!;

        Assert.Equal(RunStatus.Incomplete, run.Status);
        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Null(run.Error);
        Assert.True(run.WereChangesNecessary);
        Assert.StartsWith($"Incomplete: {Reason} The changes made until then are kept in the patch", run.Summary, StringComparison.Ordinal);
        Assert.Contains("+half of the change", await engine.ReadArtifactAsync(run.PatchArtifact!), StringComparison.Ordinal);
        Assert.Contains("\"incomplete\":true", await engine.ReadArtifactAsync(run.ThreadArtifact!), StringComparison.Ordinal);
        Assert.Equal(0.03m, run.Usage.CostUsd);
        Assert.True(run.Submission?.Incomplete);
        var published = Assert.Single(host.Published);
        Assert.True(published.Draft);
        Assert.StartsWith("[Incomplete] ", published.Title, StringComparison.Ordinal);
        Assert.StartsWith("> [!WARNING]\n> Incomplete:", published.Body, StringComparison.Ordinal);
        Assert.Equal("https://example.test/acme/api/pull/1", run.PullRequestUrl);
    }

    [Fact]
    public async Task In_patch_mode_an_incomplete_run_keeps_the_patch_and_opens_nothing_and_a_retry_runs_the_agent_again()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/api");
        var agent = RunningOut();
        await using var engine = await EngineHarness.StartAsync(_data.Path, host, agent);
        var jobId = (await engine.CreateJobAsync("Append a line", "patch", "acme/api")).Id;

        var run = (await engine.WaitForEndAsync(jobId)).FindRun("acme/api")!;
        Assert.Equal(RunStatus.Incomplete, run.Status);
        Assert.NotNull(run.PatchArtifact);
        Assert.Empty(host.Published);

        var retry = await engine.Jobs.RetryAsync(jobId, "acme/api", CancellationToken.None);
        Assert.NotNull(retry.Job);
        Assert.Null(retry.Job.FindRun("acme/api")!.Submission);
        var again = (await engine.WaitForEndAsync(jobId)).FindRun("acme/api")!;

        Assert.Equal(2, agent.Calls);
        Assert.Equal(RunStatus.Incomplete, again.Status);
        Assert.Equal(2, again.Attempts);
        Assert.Equal(0.06m, again.Usage.CostUsd);
    }

    [Fact]
    public void Incomplete_is_final_retryable_and_reached_only_from_publishing()
    {
        Assert.True(RunStatus.Incomplete.IsFinal());
        Assert.True(RunStatus.Incomplete.IsRetryable());
        Assert.False(RunStatus.Succeeded.IsRetryable());
        Assert.True(JobLifecycle.CanMove(RunStatus.Publishing, RunStatus.Incomplete));
        Assert.True(JobLifecycle.CanMove(RunStatus.Incomplete, RunStatus.Queued));
        Assert.False(JobLifecycle.CanMove(RunStatus.Analyzing, RunStatus.Incomplete));
        Assert.False(JobLifecycle.CanMove(RunStatus.Incomplete, RunStatus.Succeeded));
    }
}
