namespace CodyBatch.Core.Access;

/// <summary>
/// One state-changing action as the audit log keeps it: who, what, on which object, when, from
/// which address, and how it ended. Never a secret, a prompt or file content.
/// </summary>
public sealed record AuditEntry
{
    /// <summary>Time-ordered id (sorts by <see cref="At"/>).</summary>
    public required string Id { get; init; }

    /// <summary>When it happened.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Who: a key's name, <c>schedule X</c>, <c>webhook</c>, <c>server</c>, <c>local</c>.</summary>
    public required string Actor { get; init; }

    /// <summary>The stored key's id when a named key acted.</summary>
    public string? ActorKeyId { get; init; }

    /// <summary>What, e.g. <c>CreateJob</c>, <c>CancelJob</c>, <c>schedule.fired</c>, <c>pullRequest.changed</c>.</summary>
    public required string Action { get; init; }

    /// <summary>Which object, e.g. <c>job 01k…</c>, <c>schedule schedule-…</c>, <c>acme/api#12</c>; null when none.</summary>
    public string? Target { get; init; }

    /// <summary>The client's address for API requests; null for background work.</summary>
    public string? Address { get; init; }

    /// <summary><c>succeeded</c>, <c>refused</c> (the request was answered with a 4xx) or <c>failed</c>.</summary>
    public required string Outcome { get; init; }

    /// <summary>The HTTP status of an API request.</summary>
    public int? Status { get; init; }

    /// <summary>A short sentence with more (the job a firing started, a pull request's new state); never secrets.</summary>
    public string? Detail { get; init; }
}
