using CodyBatch.Core.Runs;

namespace CodyBatch.Claude.Pricing;

/// <summary>Turns token counts into dollars with the configured prices.</summary>
public sealed class PriceTable(IReadOnlyDictionary<string, ModelPrice> prices)
{
    /// <summary>Published list prices by model family (USD per million tokens).</summary>
    public static Dictionary<string, ModelPrice> Defaults() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["claude-opus-4"] = ModelPrice.Of(15m, 75m),
        ["claude-opus-4-5"] = ModelPrice.Of(5m, 25m),
        ["claude-sonnet-4"] = ModelPrice.Of(3m, 15m),
        ["claude-haiku-4"] = ModelPrice.Of(1m, 5m),
        ["claude-3-5-haiku"] = ModelPrice.Of(0.8m, 4m),
        ["claude-3-7-sonnet"] = ModelPrice.Of(3m, 15m),
    };

    /// <summary>The price of <paramref name="model"/>: the entry with the longest matching prefix, or null.</summary>
    public ModelPrice? Find(string model) =>
        prices.Where(p => model.StartsWith(p.Key, StringComparison.OrdinalIgnoreCase)).OrderByDescending(p => p.Key.Length).Select(p => p.Value).FirstOrDefault();

    /// <summary>The usage with its cost filled in (zero cost when the model has no price).</summary>
    public TokenUsage Price(string model, long input, long output, long cacheRead, long cacheWrite)
    {
        var price = Find(model);
        var cost = price is null
            ? 0m
            : ((input * price.Input) + (output * price.Output) + (cacheRead * price.CacheRead) + (cacheWrite * price.CacheWrite)) / 1_000_000m;
        return new TokenUsage(input, output, cacheRead, cacheWrite, cost);
    }
}
