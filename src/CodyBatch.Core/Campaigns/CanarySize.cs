namespace CodyBatch.Core.Campaigns;

/// <summary>
/// How many repositories a campaign's canary takes: its jobs' five each, no more than the selection holds, and — in
/// pull request mode — no more pull requests than the caps allow at once (P open, H an hour), as the advancer starts
/// it. The preview says so when a cap clips it.
/// </summary>
public static class CanarySize
{
    /// <summary>The canary's repositories for <paramref name="spec"/> over <paramref name="count"/> repositories, and a sentence when a cap clips it.</summary>
    public static (int Repositories, string? Note) Of(CampaignSpec spec, int count)
    {
        var asked = Math.Min(count, spec.CanaryJobs * CampaignLimits.RepositoriesPerJob);
        if (asked == 0 || string.Equals(spec.Job.Mode, "patch", StringComparison.OrdinalIgnoreCase))
        {
            return (asked, null);
        }

        var (cap, name) = (spec.MaxOpenPullRequests, spec.MaxPullRequestsPerHour) switch
        {
            ({ } open, { } hour) when hour < open => (hour, "maxPullRequestsPerHour"),
            ({ } open, _) => (open, "maxOpenPullRequests"),
            (null, { } hour) => (hour, "maxPullRequestsPerHour"),
            _ => (int.MaxValue, null),
        };
        return cap >= asked
            ? (asked, null)
            : (cap, $"The canary takes {cap} of the {asked} repositories its {spec.CanaryJobs} job(s) hold: each may open a pull request and {name} is {cap}. "
                + "The campaign then waits for approval as usual; after it, fan-out "
                + (name == "maxPullRequestsPerHour" ? "starts once the hour since they opened has passed." : "starts as those pull requests merge or close."));
    }
}
