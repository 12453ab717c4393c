using System.Text.Json.Serialization;

namespace CodyBatch.Jobs;

/// <summary>
/// One entry of a thread. <c>type</c> says which fields it has: <c>system</c>, <c>request</c> (turn, messages),
/// <c>response</c> (turn, content, stopReason, usage), <c>retry</c>, <c>wrap_up</c>, <c>context_edit</c>,
/// <c>result</c>, <c>stopped</c>, <c>error</c>, <c>shell</c> (command, exitCode, durationMs, limit, cutChars,
/// output; or restart; or unavailable), <c>checks</c>, <c>verification</c>, <c>egress</c>, <c>network</c>. A reader
/// shows a type or field it does not know as it is.
/// </summary>
public sealed record ThreadEntry
{
    public required string Type { get; init; }
    public DateTimeOffset? At { get; init; }
    public int? Turn { get; init; }
    public string? System { get; init; }
    public IReadOnlyList<ThreadMessage>? Messages { get; init; }
    public IReadOnlyList<ThreadBlock>? Content { get; init; }
    public string? StopReason { get; init; }
    public UsageResponse? Usage { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
    public string? Summary { get; init; }
    public double? WaitSeconds { get; init; }
    public int? Attempt { get; init; }
    public int? Status { get; init; }
    public bool? Incomplete { get; init; }
    public int? ClearedToolUses { get; init; }
    public long? ClearedTokens { get; init; }
    public string? Command { get; init; }
    public int? ExitCode { get; init; }
    public long? DurationMs { get; init; }
    public string? Limit { get; init; }
    public long? CutChars { get; init; }
    public string? Output { get; init; }
    public bool? Restart { get; init; }
    public string? Unavailable { get; init; }

    /// <summary>The fields of entry types not listed above.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? More { get; init; }
}
