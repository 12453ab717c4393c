using System.Text;
using CodyBatch.Core.Artifacts;

namespace CodyBatch.Core.Tests.Engine;

/// <summary>The agent's finished result is stored before publishing, and publishing resumes instead of repeating it.</summary>
public sealed class ResumablePublishTests : IDisposable
{
    private readonly TempDirectory _data = new("codybatch-resume");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task The_result_patch_and_thread_are_stored_before_publishing_starts()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/api");
        var publishing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource();
        host.BeforePublish = async (_, ct) =>
        {
            publishing.TrySetResult();
            await release.Task.WaitAsync(ct);
        };
        await using var engine = await EngineHarness.StartAsync(_data.Path, host, ScriptedCodeAgent.AppendingTo("README.md"));
        var jobId = (await engine.CreateAsync("acme/api")).Id;

        await publishing.Task.Expect("The run reaching its publish");
        var run = (await engine.Store.GetAsync(jobId, CancellationToken.None))!.FindRun("acme/api")!;
        release.SetResult();

        Assert.Equal(RunStatus.Publishing, run.Status);
        Assert.True(run.WereChangesNecessary);
        Assert.Equal("Appended a line to README.md.", run.Summary);
        Assert.Equal("Append a line", run.Submission?.PullRequestTitle);
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", run.Submission?.BaseCommitSha);
        Assert.Contains("+changed by acme/api", await engine.ReadArtifactAsync(run.PatchArtifact!), StringComparison.Ordinal);
        Assert.Contains("\"response\"", await engine.ReadArtifactAsync(run.ThreadArtifact!), StringComparison.Ordinal);
        Assert.Equal(0.006m, run.Usage.CostUsd);
        Assert.Equal(RunStatus.Succeeded, (await engine.WaitForEndAsync(jobId)).FindRun("acme/api")!.Status);
    }

    [Fact]
    public async Task A_publish_failure_keeps_the_result_visible_and_retry_publishes_only()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/api");
        var failures = 1;
        host.BeforePublish = (_, _) => Interlocked.Decrement(ref failures) >= 0
            ? throw new RunFailedException("GitHub answered 502 Bad Gateway to open the pull request.")
            : Task.CompletedTask;
        var agent = ScriptedCodeAgent.AppendingTo("README.md");
        await using var engine = await EngineHarness.StartAsync(_data.Path, host, agent);
        var jobId = (await engine.CreateAsync("acme/api")).Id;

        var failed = (await engine.WaitForEndAsync(jobId)).FindRun("acme/api")!;
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.StartsWith("Publishing failed: GitHub answered 502 Bad Gateway to open the pull request.", failed.Error, StringComparison.Ordinal);
        Assert.Contains("retry", failed.Error, StringComparison.Ordinal);
        Assert.True(failed.WereChangesNecessary);
        Assert.Equal("Appended a line to README.md.", failed.Summary);
        Assert.NotNull(failed.PatchArtifact);
        var patch = await engine.ReadArtifactAsync(failed.PatchArtifact);
        var thread = await engine.ReadArtifactAsync(failed.ThreadArtifact!);
        Assert.Contains("Publishing failed", thread, StringComparison.Ordinal);

        var retry = await engine.Jobs.RetryAsync(jobId, "acme/api", CancellationToken.None);
        Assert.NotNull(retry.Job);
        var queued = retry.Job.FindRun("acme/api")!;
        Assert.Equal("Appended a line to README.md.", queued.Summary);
        var ended = (await engine.WaitForEndAsync(jobId)).FindRun("acme/api")!;

        Assert.Equal(RunStatus.Succeeded, ended.Status);
        Assert.Equal(1, agent.Calls);
        Assert.Equal(2, ended.Attempts);
        Assert.Equal(0.006m, ended.Usage.CostUsd);
        Assert.Equal("https://example.test/acme/api/pull/1", ended.PullRequestUrl);
        var published = Assert.Single(host.Published);
        Assert.Equal(patch, published.Patch);
        Assert.Equal("Append a line", published.Title);
        Assert.Equal(["README.md"], published.Changes.Select(c => c.Path));
        Assert.Equal(thread, await engine.ReadArtifactAsync(ended.ThreadArtifact!));
        Assert.Equal(patch, await engine.ReadArtifactAsync(ended.PatchArtifact!));
    }

    [Fact]
    public async Task A_run_whose_owner_died_while_publishing_is_published_without_the_agent()
    {
        var host = new FakeRepositoryHost().AddSimple("acme/api");
        string jobId;
        const string Patch = "diff --git a/README.md b/README.md\nindex 2bb5dbc..0000000 100644\n--- a/README.md\n+++ b/README.md\n@@ -1 +1,2 @@\n # acme/api\n+stored change\n";

        // A process ran the agent, stored its result and died while publishing.
        await using (var before = await EngineHarness.StartAsync(_data.Path, host, ScriptedCodeAgent.Hanging(), worker: false))
        {
            jobId = (await before.CreateAsync("acme/api")).Id;
            var past = DateTimeOffset.UtcNow.AddMinutes(-5);
            var patchKey = ArtifactKeys.Patch(jobId, "acme/api");
            await before.Artifacts.PutAsync(patchKey, new MemoryStream(Encoding.UTF8.GetBytes(Patch)), "text/x-diff", CancellationToken.None);
            await before.Store.UpdateAsync(jobId, job => JobLifecycle.TryClaim(job, "acme/api", "dead-worker", past, TimeSpan.FromSeconds(30)), CancellationToken.None);
            await before.Store.UpdateAsync(jobId, job => JobLifecycle.Advance(job, "acme/api", "dead-worker", RunStatus.Analyzing, past), CancellationToken.None);
            var submission = new AgentSubmission { PullRequestTitle = "Stored title", BaseCommitSha = "0123456789abcdef0123456789abcdef01234567", SubmittedAt = past };
            await before.Store.UpdateAsync(
                jobId,
                job => JobLifecycle.Submit(job, "acme/api", "dead-worker", true, "Stored summary.", submission, patchKey, null, new TokenUsage(CostUsd: 1.5m), past),
                CancellationToken.None);
        }

        var agent = ScriptedCodeAgent.AppendingTo("README.md");
        await using var after = await EngineHarness.StartAsync(_data.Path, host, agent);
        var run = (await after.WaitForEndAsync(jobId)).FindRun("acme/api")!;

        Assert.True(run.Status == RunStatus.Succeeded, run.Error);
        Assert.Equal(0, agent.Calls);
        Assert.Equal("Stored summary.", run.Summary);
        Assert.Equal(1.5m, run.Usage.CostUsd);
        var published = Assert.Single(host.Published);
        Assert.Equal("Stored title", published.Title);
        Assert.Equal(Patch, published.Patch);
        Assert.Equal(["README.md"], published.Changes.Select(c => c.Path));
    }
}
