namespace CodyBatch.Core.Schedules;

/// <summary>What a user sends to create a schedule.</summary>
public sealed record ScheduleRequest
{
    /// <summary>What lists show; also the title of its jobs (1 to 100 characters).</summary>
    public string? Name { get; init; }

    /// <summary>The prompt; give this or <see cref="SavedPromptId"/>.</summary>
    public string? Prompt { get; init; }

    /// <summary>A saved prompt's id; give this or <see cref="Prompt"/>.</summary>
    public string? SavedPromptId { get; init; }

    /// <summary>1 to 5 repositories as <c>owner/name</c>.</summary>
    public IReadOnlyList<string?>? Repositories { get; init; }

    /// <summary><c>pullRequest</c> or <c>patch</c>; the saved prompt's or <c>pullRequest</c> when absent.</summary>
    public string? Mode { get; init; }

    /// <summary>Up to 10 check commands.</summary>
    public IReadOnlyList<string?>? Checks { get; init; }

    /// <summary>The model; the saved prompt's or the configured default when absent.</summary>
    public string? Model { get; init; }

    /// <summary>The dollar budget of each job it starts (0.01 to 10,000, all its runs together); none when absent.</summary>
    public decimal? BudgetUsd { get; init; }

    /// <summary>False to give its jobs no shell; the saved prompt's, else the server's (CodyBatch:Shell:Enabled) when absent. It can narrow the server's setting, never widen it.</summary>
    public bool? Shell { get; init; }

    /// <summary><c>registries</c> or <c>none</c>: what its jobs' setup and shell may reach; the saved prompt's, else the server's (CodyBatch:Egress:Network) when absent.</summary>
    public string? Network { get; init; }

    /// <summary>A cron expression such as <c>0 6 * * 1-5</c>.</summary>
    public string? Cron { get; init; }

    /// <summary>An IANA time zone; <c>UTC</c> when absent.</summary>
    public string? TimeZone { get; init; }

    /// <summary>False to create it paused.</summary>
    public bool? Enabled { get; init; }
}
