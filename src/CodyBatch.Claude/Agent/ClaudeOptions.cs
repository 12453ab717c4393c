using System.ComponentModel.DataAnnotations;
using CodyBatch.Claude.Pricing;

namespace CodyBatch.Claude.Agent;

/// <summary>Settings under <c>CodyBatch:Agent</c>: budgets, retries and prices of the Claude agent.</summary>
public sealed class ClaudeOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Agent";

    /// <summary>Most requests to Claude in one run.</summary>
    [Range(1, 500, ErrorMessage = "CodyBatch:Agent:MaxTurns must be between 1 and 500.")]
    public int MaxTurns { get; set; } = 60;

    /// <summary>Most tokens one run may use (input, output, cache reads and writes together).</summary>
    [Range(1_000L, 1_000_000_000L, ErrorMessage = "CodyBatch:Agent:MaxTokens must be between 1,000 and 1,000,000,000.")]
    public long MaxTokens { get; set; } = 5_000_000;

    /// <summary>Most one run may cost, in US dollars.</summary>
    [Range(0.01, 10_000.0, ErrorMessage = "CodyBatch:Agent:MaxCostUsd must be between 0.01 and 10,000.")]
    public decimal MaxCostUsd { get; set; } = 5m;

    /// <summary><c>max_tokens</c> of each response.</summary>
    [Range(256, 128_000, ErrorMessage = "CodyBatch:Agent:MaxOutputTokens must be between 256 and 128,000.")]
    public int MaxOutputTokens { get; set; } = 8_192;

    /// <summary>How often one request is retried after a 429, 529 or 5xx.</summary>
    [Range(0, 50, ErrorMessage = "CodyBatch:Agent:MaxRetries must be between 0 and 50.")]
    public int MaxRetries { get; set; } = 8;

    /// <summary>Most time one run spends waiting to retry, all retries together; a longer <c>retry-after</c> ends the run.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "CodyBatch:Agent:MaxRetryWait must be between 0 and 1 day.")]
    public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>First backoff when the server says nothing about when to retry; doubles each time.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "CodyBatch:Agent:RetryBackoff must be between 0 and 10 minutes.")]
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A streaming response that sends nothing for this long is abandoned (and retried).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:30:00", ErrorMessage = "CodyBatch:Agent:StallTimeout must be between 0.1 seconds and 30 minutes.")]
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Largest tool result sent back to Claude, in characters; longer ones are cut with a note.</summary>
    [Range(1_000, 1_000_000, ErrorMessage = "CodyBatch:Agent:MaxToolResultChars must be between 1,000 and 1,000,000.")]
    public int MaxToolResultChars { get; set; } = 40_000;

    /// <summary>Most matches <c>search_code</c> returns.</summary>
    [Range(1, 10_000, ErrorMessage = "CodyBatch:Agent:MaxSearchMatches must be between 1 and 10,000.")]
    public int MaxSearchMatches { get; set; } = 200;

    /// <summary>Most paths <c>find_files</c> returns.</summary>
    [Range(1, 10_000, ErrorMessage = "CodyBatch:Agent:MaxFindResults must be between 1 and 10,000.")]
    public int MaxFindResults { get; set; } = 300;

    /// <summary>Most files one <c>replace_all</c> call may change.</summary>
    [Range(1, 10_000, ErrorMessage = "CodyBatch:Agent:MaxReplaceFiles must be between 1 and 10,000.")]
    public int MaxReplaceFiles { get; set; } = 200;

    /// <summary>
    /// The share of any budget (turns, tokens, dollars) at which Claude is asked, once, to bring its
    /// change to a consistent state and submit.
    /// </summary>
    [Range(0.5, 0.99, ErrorMessage = "CodyBatch:Agent:WrapUpShare must be between 0.5 and 0.99.")]
    public double WrapUpShare { get; set; } = 0.85;

    /// <summary>Clear old tool results from what is sent once the prompt grows past <see cref="ContextEditingTriggerTokens"/>.</summary>
    public bool ContextEditing { get; set; } = true;

    /// <summary>Prompt size, in tokens, past which old tool results are cleared.</summary>
    [Range(1_000, 1_000_000, ErrorMessage = "CodyBatch:Agent:ContextEditingTriggerTokens must be between 1,000 and 1,000,000.")]
    public int ContextEditingTriggerTokens { get; set; } = 60_000;

    /// <summary>The most recent tool results that are never cleared.</summary>
    [Range(0, 100, ErrorMessage = "CodyBatch:Agent:ContextEditingKeepToolUses must be between 0 and 100.")]
    public int ContextEditingKeepToolUses { get; set; } = 3;

    /// <summary>
    /// Fewest tokens one clearing must free, or nothing is cleared: each clearing makes the cached
    /// prompt after the first cleared result be written again, so it is done seldom and in big steps.
    /// </summary>
    [Range(0, 1_000_000, ErrorMessage = "CodyBatch:Agent:ContextEditingClearAtLeastTokens must be between 0 and 1,000,000.")]
    public int ContextEditingClearAtLeastTokens { get; set; } = 40_000;

    /// <summary>
    /// Let the first run of a job send its first request alone, so the other runs of the same job read
    /// the shared prefix (tools, system prompt, task) from the cache instead of each writing it.
    /// </summary>
    public bool ShareJobPrefix { get; set; } = true;

    /// <summary>
    /// Prices in US dollars per million tokens, by model id prefix (the longest matching prefix wins).
    /// Defaults cover the current Claude families; configure others here.
    /// </summary>
    public Dictionary<string, ModelPrice> Prices { get; set; } = PriceTable.Defaults();
}
