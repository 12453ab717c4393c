using System.Text.Json.Serialization;

namespace CodyBatch.Jobs;

/// <summary>A content block as Anthropic's Messages API has it: text, thinking, tool_use (name, input) or tool_result.</summary>
public sealed record ThreadBlock
{
    public required string Type { get; init; }
    public string? Text { get; init; }
    public string? Id { get; init; }
    public string? Name { get; init; }
    public JsonElement? Input { get; init; }

    [JsonPropertyName("tool_use_id")]
    public string? ToolUseId { get; init; }

    /// <summary>A tool result's content: a string or a list of text blocks.</summary>
    public JsonElement? Content { get; init; }

    [JsonPropertyName("is_error")]
    public bool? IsError { get; init; }

    public string? Thinking { get; init; }
    public string? Signature { get; init; }
    public string? Data { get; init; }
}
