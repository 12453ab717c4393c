namespace CodyBatch.Jobs;

/// <summary>
/// How a job's runs stand, counted: still queued or running, and how the ended ones ended.
/// Changed and no change needed split the succeeded runs; incomplete runs ran out of budget with their work kept.
/// </summary>
public sealed record JobOutcomes(int Queued, int Running, int Succeeded, int Failed, int Cancelled, int Changed, int NoChangeNeeded, int Incomplete)
{
    public static JobOutcomes From(Job job) => new(
        job.Runs.Count(r => r.Status == RunStatus.Queued),
        job.Runs.Count(r => r.Status.IsActive()),
        job.Runs.Count(r => r.Status == RunStatus.Succeeded),
        job.Runs.Count(r => r.Status == RunStatus.Failed),
        job.Runs.Count(r => r.Status == RunStatus.Cancelled),
        job.Runs.Count(r => r.Status == RunStatus.Succeeded && r.WereChangesNecessary == true),
        job.Runs.Count(r => r.Status == RunStatus.Succeeded && r.WereChangesNecessary == false),
        job.Runs.Count(r => r.Status == RunStatus.Incomplete));
}
