using System.Text.Json.Nodes;

namespace CodyBatch.Claude.Messages;

/// <summary>One assistant message as received, with the token counts the API reported for its request.</summary>
internal sealed record ClaudeResponse(JsonArray Content, string? StopReason, long InputTokens, long OutputTokens, long CacheReadTokens, long CacheWriteTokens);
