using CodyBatch.Core.Jobs;

namespace CodyBatch.Core.Engine;

/// <summary>
/// Decides what one claim takes with it. The next run comes in the store's fair order (jobs with
/// fewer runs in flight first, then the older job); when the slots still free hold every other
/// claimable run of that run's job, those go in the same wave, so a job that fits is not split
/// across waves. When they do not all fit, none are taken: the fair order decides each next claim,
/// so a big job does not crowd out the job after it. Pure: no store, no clock of its own.
/// </summary>
public static class WavePlanner
{
    /// <summary>
    /// The other runs of <paramref name="job"/> to claim with <paramref name="claimedRepository"/>, in
    /// the job's order: all of its claimable runs when they fit in <paramref name="freeSlots"/>, else none.
    /// </summary>
    public static IReadOnlyList<string> RestOfJob(Job job, string claimedRepository, int freeSlots, DateTimeOffset now)
    {
        var rest = job.Runs
            .Where(r => r.Repository != claimedRepository && r.IsClaimable(now))
            .Select(r => r.Repository)
            .ToList();
        return rest.Count <= freeSlots ? rest : [];
    }
}
