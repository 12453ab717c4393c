using System.Diagnostics;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Telemetry;

/// <summary>
/// The job spans of this process. A job's span starts when this process claims the first of its runs and ends when
/// the last run this process works on ends and none of the job's runs is left waiting (or the process stops), so the
/// runs of one job — claimed together or one after another — are children of one job span. Each run's span
/// (<see cref="StartRun"/>) carries the job's id and the repository; every span beneath it is its descendant.
/// Nothing is kept when nobody listens.
/// </summary>
public sealed class JobTraces : IDisposable
{
    private readonly Dictionary<string, Entry> _open = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Starts the span of one attempt of <paramref name="run"/> under its job's span (started when needed); null when nobody listens.</summary>
    public Activity? StartRun(Job job, RepositoryRun run)
    {
        if (!CodyBatchTelemetry.Source.HasListeners())
        {
            return null;
        }

        ActivityContext parent;
        lock (_lock)
        {
            if (!_open.TryGetValue(job.Id, out var entry))
            {
                entry = new Entry(StartJob(job));
                _open[job.Id] = entry;
            }

            entry.Running++;
            parent = entry.Activity?.Context ?? default;
        }

        // The run is a child of its job whatever span the caller's flow has (none, in the workers).
        var previous = Activity.Current;
        Activity.Current = null;
        var activity = CodyBatchTelemetry.Source.StartActivity("run", ActivityKind.Internal, parent);
        if (activity is null)
        {
            Activity.Current = previous;
            Leave(job.Id, null);
            return null;
        }

        activity.SetTag(CodyBatchTelemetry.JobId, job.Id);
        activity.SetTag(CodyBatchTelemetry.Repository, run.Repository);
        activity.SetTag(CodyBatchTelemetry.Attempt, run.Attempts);
        return activity;
    }

    /// <summary>
    /// Ends the span of a run attempt with its outcome (<paramref name="status"/>; null when the attempt was given
    /// back), and the job's span when this was its last run here and <paramref name="job"/>, as written, has no run waiting.
    /// </summary>
    public void EndRun(Activity? activity, string jobId, RunStatus? status, Job? job)
    {
        if (activity is null)
        {
            return;
        }

        if (status is { } ended)
        {
            activity.SetTag(CodyBatchTelemetry.Status, ended.ToString().ToLowerInvariant());
            if (ended == RunStatus.Failed)
            {
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }

        activity.Dispose();
        Leave(jobId, job);
    }

    /// <summary>Ends the job spans still open (the process is stopping).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var entry in _open.Values)
            {
                entry.Activity?.Dispose();
            }

            _open.Clear();
        }
    }

    private void Leave(string jobId, Job? job)
    {
        lock (_lock)
        {
            if (!_open.TryGetValue(jobId, out var entry) || --entry.Running > 0 || job?.Runs.Any(r => r.Status == RunStatus.Queued) == true)
            {
                return;
            }

            _open.Remove(jobId);
            if (entry.Activity is { } activity)
            {
                if (job is not null)
                {
                    activity.SetTag(CodyBatchTelemetry.Status, job.Status.ToString().ToLowerInvariant());
                }

                activity.Dispose();
            }
        }
    }

    // A root span: the job's work in this process is its own trace, whatever flow claimed the first run.
    private static Activity? StartJob(Job job)
    {
        var previous = Activity.Current;
        Activity.Current = null;
        try
        {
            var activity = CodyBatchTelemetry.Source.StartActivity("job", ActivityKind.Internal, default(ActivityContext));
            activity?.SetTag(CodyBatchTelemetry.JobId, job.Id);
            activity?.SetTag("codybatch.job.repositories", job.Runs.Count);
            activity?.SetTag(CodyBatchMetrics.Model, job.Model);
            return activity;
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    private sealed class Entry(Activity? activity)
    {
        public Activity? Activity { get; } = activity;

        public int Running { get; set; }
    }
}
