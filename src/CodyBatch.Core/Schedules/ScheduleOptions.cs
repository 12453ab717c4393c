using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Core.Schedules;

/// <summary>Settings under <c>CodyBatch:Schedules</c>.</summary>
public sealed class ScheduleOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Schedules";

    /// <summary>
    /// True to check schedules in this process every <see cref="CheckInterval"/>; false where an
    /// outside service (EventBridge Scheduler on AWS) calls <c>POST /events/schedules</c> instead.
    /// </summary>
    public bool Loop { get; set; } = true;

    /// <summary>
    /// True on AWS Lambda, where the Lambda Web Adapter passes EventBridge Scheduler's invocation to
    /// <c>POST /events/schedules</c>: such a pass-through (IAM authorized the invocation) needs no API key.
    /// Everywhere else that route needs one, like <c>/api</c>.
    /// </summary>
    public bool LambdaPassThrough { get; set; }

    /// <summary>How often the loop looks for due firings.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "CodyBatch:Schedules:CheckInterval must be between 1 second and 1 hour.")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A firing found more than this late counts as missed (the server was down) and follows
    /// <see cref="MissedFirings"/>; a later one is simply started.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00", ErrorMessage = "CodyBatch:Schedules:MissedAfter must be between 10 seconds and 1 day.")]
    public TimeSpan MissedAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The shortest time allowed between two firings of one schedule; a cron expression that fires
    /// more often (say, a six-field one every second) is refused when the schedule is created.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "CodyBatch:Schedules:MinimumInterval must be between 1 second and 1 day.")]
    public TimeSpan MinimumInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most schedules this server keeps; creating one more is refused until one is deleted.</summary>
    [Range(1, 100_000, ErrorMessage = "CodyBatch:Schedules:MaxSchedules must be between 1 and 100,000.")]
    public int MaxSchedules { get; set; } = 100;

    /// <summary>What happens to missed firings: <c>RunOnce</c> (default) or <c>Skip</c>.</summary>
    [EnumDataType(typeof(MissedFiringPolicy), ErrorMessage = "CodyBatch:Schedules:MissedFirings must be RunOnce or Skip.")]
    public MissedFiringPolicy MissedFirings { get; set; } = MissedFiringPolicy.RunOnce;
}
