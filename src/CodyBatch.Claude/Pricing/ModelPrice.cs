namespace CodyBatch.Claude.Pricing;

/// <summary>What one model charges, in US dollars per million tokens.</summary>
public sealed class ModelPrice
{
    /// <summary>Uncached input.</summary>
    public decimal Input { get; set; }

    /// <summary>Output.</summary>
    public decimal Output { get; set; }

    /// <summary>Writing the prompt cache (5-minute TTL): 1.25× input.</summary>
    public decimal CacheWrite { get; set; }

    /// <summary>Reading the prompt cache: 0.1× input.</summary>
    public decimal CacheRead { get; set; }

    /// <summary>A price from the input and output rates, with the cache rates Anthropic derives from input.</summary>
    public static ModelPrice Of(decimal input, decimal output) =>
        new() { Input = input, Output = output, CacheWrite = input * 1.25m, CacheRead = input * 0.1m };
}
