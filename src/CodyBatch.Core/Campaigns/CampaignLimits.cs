namespace CodyBatch.Core.Campaigns;

/// <summary>The numbers that bound a campaign.</summary>
public static class CampaignLimits
{
    /// <summary>Repositories per job (the job's own limit).</summary>
    public const int RepositoriesPerJob = Jobs.JobRequestValidator.MaxRepositories;

    /// <summary>Most repositories in one campaign.</summary>
    public const int MaxRepositories = 2_000;

    /// <summary>Triage <c>auto</c> turns on above this many repositories.</summary>
    public const int AutoTriageAbove = 25;

    /// <summary>Most canary jobs.</summary>
    public const int MaxCanaryJobs = 5;

    /// <summary>Most jobs of one campaign at once.</summary>
    public const int MaxConcurrency = 100;

    /// <summary>The default of jobs at once.</summary>
    public const int DefaultConcurrency = 5;
}
