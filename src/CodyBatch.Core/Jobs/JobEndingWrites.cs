using CodyBatch.Core.Engine;
using CodyBatch.Core.Notifications;
using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Jobs;

/// <summary>
/// Writes that may end a job (a run's end in a worker, a cancel of a job whose runs were all still
/// queued). The write that moves a job from open to ended announces its end, once: the same write
/// from another process finds it ended already and stays silent.
/// </summary>
public sealed class JobEndingWrites(IJobStore store, JobNotifier notifier, Campaigns.CampaignSignal? campaigns = null)
{
    /// <summary>
    /// <see cref="JobUpdates.UpdateAsync"/> with <paramref name="change"/>, then, when this
    /// write ended the job, its notifications. Returns what the store returns.
    /// </summary>
    public async Task<Job?> UpdateAsync(string jobId, Func<Job, Job?> change, CancellationToken cancellationToken)
    {
        var wasOpen = false;
        var job = await store.UpdateAsync(
            jobId,
            job =>
            {
                wasOpen = !job.Runs.All(r => r.Status.IsFinal());
                return change(job);
            },
            cancellationToken);
        if (wasOpen && job is not null && job.Runs.All(r => r.Status.IsFinal()))
        {
            notifier.JobEnded(job);
            if (job.CampaignId is not null)
            {
                // A fleet campaign's slot is free: let it start its next job.
                campaigns?.Notify();
            }
        }

        return job;
    }
}
