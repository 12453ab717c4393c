using CodyBatch.Claude.Agent;
using CodyBatch.Core.Agent;
using Microsoft.Extensions.Options;

namespace CodyBatch.Claude.Pricing;

/// <summary>The models the Claude agent can price, from <c>CodyBatch:Agent:Prices</c> (longest matching prefix).</summary>
public sealed class ClaudeModelPriceCheck(IOptions<ClaudeOptions> options) : IModelPriceCheck
{
    /// <inheritdoc />
    public string? Refuse(string model)
    {
        var prices = options.Value.Prices;
        if (new PriceTable(prices).Find(model) is not null)
        {
            return null;
        }

        var known = string.Join(", ", prices.Keys.Order(StringComparer.OrdinalIgnoreCase).Select(k => $"{k}*"));
        return $"\"{model}\" has no price, so CodyBatch:Agent:MaxCostUsd could not cap what it spends. Pick a priced model ({known}), "
            + $"or have an operator add its price in US dollars per million tokens as CodyBatch:Agent:Prices:{model}:Input and CodyBatch:Agent:Prices:{model}:Output.";
    }
}
