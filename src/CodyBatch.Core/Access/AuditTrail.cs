using CodyBatch.Core.Agent;
using CodyBatch.Core.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Access;

/// <summary>
/// Writes and reads the audit log. A write that fails is logged and does not undo or fail the
/// action it records (the action has happened). Every text passes the secret redactor first.
/// </summary>
public sealed partial class AuditTrail(IAuditLog log, IOptions<AuditOptions> options, SecretRedactor redactor, TimeProvider time, ILogger<AuditTrail> logger)
{
    /// <summary>Records one action.</summary>
    public async Task RecordAsync(
        Caller actor, string action, string? target, string outcome, CancellationToken cancellationToken, string? detail = null, string? address = null, int? status = null)
    {
        var now = time.GetUtcNow();
        var entry = new AuditEntry
        {
            Id = "audit-" + JobId.New(now),
            At = now,
            Actor = actor.Name,
            ActorKeyId = actor.KeyId,
            Action = action,
            Target = Clean(target, 300),
            Address = address,
            Outcome = outcome,
            Status = status,
            Detail = Clean(detail, 1000),
        };
        try
        {
            await log.AppendAsync(entry, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogAppendFailed(logger, action, target, e);
        }
    }

    /// <summary>A page of entries, newest first; never older than the retention, never later than now when no end is given.</summary>
    public Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var floor = now.AddDays(-options.Value.RetentionDays);
        return log.QueryAsync(
            query with { Since = query.Since is { } since && since > floor ? since : floor, Until = query.Until ?? now.AddMinutes(1) },
            cancellationToken);
    }

    /// <summary>Removes the entries past the retention.</summary>
    public Task<int> PruneAsync(CancellationToken cancellationToken) =>
        log.DeleteBeforeAsync(time.GetUtcNow().AddDays(-options.Value.RetentionDays), cancellationToken);

    private string? Clean(string? text, int max)
    {
        if (text is null)
        {
            return null;
        }

        var redacted = redactor.Redact(text);
        return redacted.Length <= max ? redacted : redacted[..max] + "…";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The audit entry for {Action} on {Target} could not be written")]
    private static partial void LogAppendFailed(ILogger logger, string action, string? target, Exception exception);
}
