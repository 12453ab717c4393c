using System.Collections.Concurrent;
using System.Diagnostics;
using CodyBatch.Core.Telemetry;

namespace CodyBatch.Core.Tests.Telemetry;

/// <summary>The job span of a process: its runs, claimed together or one after another, are its children; it ends with the last.</summary>
public sealed class JobTracesTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public JobTracesTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CodyBatchTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public void Runs_claimed_one_after_another_share_one_job_span_which_ends_with_the_last()
    {
        var job = JobLifecycle.Create("Fix it", null, JobMode.Patch, "claude-test", ["octo/one", "octo/two"], DateTimeOffset.UtcNow);
        using var traces = new JobTraces();

        var first = traces.StartRun(job, job.Runs[0]);
        traces.EndRun(first, job.Id, RunStatus.Succeeded, With(job, RunStatus.Succeeded, RunStatus.Queued));
        Assert.DoesNotContain(Stopped(job.Id), a => a.OperationName == "job");
        var second = traces.StartRun(job, job.Runs[1]);
        traces.EndRun(second, job.Id, RunStatus.Failed, With(job, RunStatus.Succeeded, RunStatus.Failed));

        var spans = Stopped(job.Id);
        var root = Assert.Single(spans, a => a.OperationName == "job");
        Assert.Equal(default, root.ParentSpanId);
        var runs = spans.Where(a => a.OperationName == "run").ToList();
        Assert.Equal(["octo/one", "octo/two"], runs.Select(r => (string)r.GetTagItem(CodyBatchTelemetry.Repository)!));
        Assert.All(runs, r => Assert.Equal((root.TraceId, root.SpanId), (r.TraceId, r.ParentSpanId)));
        Assert.Equal(["succeeded", "failed"], runs.Select(r => (string)r.GetTagItem(CodyBatchTelemetry.Status)!));
        Assert.Equal(ActivityStatusCode.Error, runs[1].Status);
        Assert.Equal("completed", root.GetTagItem(CodyBatchTelemetry.Status));
    }

    [Fact]
    public void A_run_given_back_at_shutdown_ends_its_span_without_an_outcome_and_disposing_ends_the_job_span()
    {
        var job = JobLifecycle.Create("Fix it", null, JobMode.Patch, "claude-test", ["octo/one"], DateTimeOffset.UtcNow);
        var traces = new JobTraces();

        var run = traces.StartRun(job, job.Runs[0]);
        traces.EndRun(run, job.Id, null, With(job, RunStatus.Queued));
        Assert.Null(Assert.Single(Stopped(job.Id), a => a.OperationName == "run").GetTagItem(CodyBatchTelemetry.Status));
        Assert.DoesNotContain(Stopped(job.Id), a => a.OperationName == "job");
        traces.Dispose();

        Assert.Single(Stopped(job.Id), a => a.OperationName == "job");
    }

    private List<Activity> Stopped(string jobId) => [.. _stopped.Where(a => (string?)a.GetTagItem(CodyBatchTelemetry.JobId) == jobId)];

    private static Job With(Job job, params RunStatus[] statuses) => job with
    {
        Runs = [.. job.Runs.Select((r, i) => r with { Status = statuses[i] })],
        Status = statuses.All(s => s.IsFinal()) ? JobStatus.Completed : JobStatus.Running,
    };
}
