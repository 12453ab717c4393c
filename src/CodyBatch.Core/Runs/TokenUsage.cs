namespace CodyBatch.Core.Runs;

/// <summary>Tokens spent and their cost in US dollars.</summary>
public sealed record TokenUsage(
    long InputTokens = 0,
    long OutputTokens = 0,
    long CacheReadTokens = 0,
    long CacheWriteTokens = 0,
    decimal CostUsd = 0m)
{
    /// <summary>Every token counted: input, output, cache reads and cache writes.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long TotalTokens => InputTokens + OutputTokens + CacheReadTokens + CacheWriteTokens;

    /// <summary>No usage.</summary>
    public static TokenUsage Zero { get; } = new();

    /// <summary>Adds two usages.</summary>
    public static TokenUsage operator +(TokenUsage left, TokenUsage right) => new(
        left.InputTokens + right.InputTokens,
        left.OutputTokens + right.OutputTokens,
        left.CacheReadTokens + right.CacheReadTokens,
        left.CacheWriteTokens + right.CacheWriteTokens,
        left.CostUsd + right.CostUsd);

    /// <summary>Adds two usages.</summary>
    public static TokenUsage Add(TokenUsage left, TokenUsage right) => left + right;
}
