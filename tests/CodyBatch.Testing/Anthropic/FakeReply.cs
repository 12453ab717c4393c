namespace CodyBatch.Testing.Anthropic;

/// <summary>What the fake Messages API answers to one request.</summary>
public abstract record FakeReply
{
    /// <summary>An assistant message: text and tool calls, streamed when the request asks for it.</summary>
    public static FakeReply Message(params JsonObject[] content) =>
        new MessageReply([.. content], content.Any(c => c["type"]?.GetValue<string>() == "tool_use") ? "tool_use" : "end_turn", null);

    /// <summary>A text block.</summary>
    public static JsonObject Text(string text) => new() { ["type"] = "text", ["text"] = text };

    /// <summary>A thinking block; the fake signs it when it answers.</summary>
    public static JsonObject Thinking(string thinking) => new() { ["type"] = "thinking", ["thinking"] = thinking };

    /// <summary>A redacted thinking block; the fake turns the text into opaque, signed data.</summary>
    public static JsonObject RedactedThinking(string hidden) => new() { ["type"] = "redacted_thinking", ["data"] = hidden };

    /// <summary>A tool call; the id is made up when not given.</summary>
    public static JsonObject ToolUse(string name, JsonObject input, string? id = null) =>
        new() { ["type"] = "tool_use", ["id"] = id ?? $"toolu_{Guid.NewGuid():N}"[..30], ["name"] = name, ["input"] = input };

    /// <summary>A tool call whose input JSON is sent as-is (possibly broken) in the stream.</summary>
    public static JsonObject RawToolUse(string name, string partialJson) =>
        new() { ["type"] = "tool_use", ["id"] = $"toolu_{Guid.NewGuid():N}"[..30], ["name"] = name, ["raw_input"] = partialJson };

    /// <summary>An API error with Anthropic's body shape and the given headers.</summary>
    public static FakeReply Error(int status, string type, string message, IReadOnlyDictionary<string, string>? headers = null, JsonObject? details = null) =>
        new ErrorReply(status, type, message, headers ?? new Dictionary<string, string>(), details);

    /// <summary>Starts the stream, then sends nothing more (a stalled connection).</summary>
    public static FakeReply Stall() => new StallReply();
}

/// <summary>An assistant message.</summary>
public sealed record MessageReply(IReadOnlyList<JsonObject> Content, string StopReason, FakeUsage? Usage) : FakeReply
{
    /// <summary>The same message with another stop reason.</summary>
    public MessageReply StoppingWith(string stopReason) => this with { StopReason = stopReason };

    /// <summary>The same message with fixed usage instead of the computed one.</summary>
    public MessageReply WithUsage(FakeUsage usage) => this with { Usage = usage };
}

/// <summary>An error response.</summary>
public sealed record ErrorReply(int Status, string Type, string Description, IReadOnlyDictionary<string, string> Headers, JsonObject? Details) : FakeReply;

/// <summary>A stream that starts and then goes silent.</summary>
public sealed record StallReply : FakeReply;

/// <summary>Token counts as the API reports them.</summary>
public sealed record FakeUsage(long InputTokens, long OutputTokens, long CacheReadTokens = 0, long CacheWriteTokens = 0);
