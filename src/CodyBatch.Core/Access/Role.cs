namespace CodyBatch.Core.Access;

/// <summary>What an API key may do; each role may do everything the ones before it may.</summary>
public enum Role
{
    /// <summary>Reads jobs, runs, pull requests, schedules, prompts and spend.</summary>
    Viewer = 0,

    /// <summary>Also creates, cancels, retries, re-runs, publishes, closes and merges; campaigns and saved prompts.</summary>
    Operator = 1,

    /// <summary>Also keys, schedules, the audit log and server-wide limits.</summary>
    Admin = 2,
}
