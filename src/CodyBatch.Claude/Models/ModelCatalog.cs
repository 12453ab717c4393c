using Anthropic.Models.Models;
using CodyBatch.Claude.Agent;
using CodyBatch.Claude.Messages;
using CodyBatch.Claude.Pricing;
using CodyBatch.Core.Agent;
using Microsoft.Extensions.Options;

namespace CodyBatch.Claude.Models;

/// <summary>
/// The models the API key may use, from Anthropic's Models API (<c>GET /v1/models</c>, every page),
/// each with its price from the configured price table. Kept for a few minutes: the list changes
/// seldom and pickers ask often.
/// </summary>
public sealed class ModelCatalog(ClaudeClientFactory clients, IOptions<ClaudeOptions> options, TimeProvider time) : IModelCatalog
{
    /// <summary>Models per page asked of the API.</summary>
    internal int PageSize { get; init; } = 100;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (IReadOnlyList<AvailableModel> Models, DateTimeOffset At)? _cached;

    /// <inheritdoc />
    public async Task<IReadOnlyList<AvailableModel>> ListAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } cached && time.GetUtcNow() - cached.At < Lifetime)
            {
                return cached.Models;
            }

            var prices = new PriceTable(options.Value.Prices);
            var models = new List<AvailableModel>();
            var page = await clients.Get().Models.List(new ModelListParams { Limit = PageSize }, cancellationToken);
            while (true)
            {
                foreach (var model in page.Items)
                {
                    var price = prices.Find(model.ID);
                    models.Add(new AvailableModel(
                        model.ID, model.DisplayName, model.CreatedAt, price?.Input, price?.Output, price?.CacheWrite, price?.CacheRead));
                }

                if (!page.HasNext())
                {
                    break;
                }

                page = await page.Next(cancellationToken);
            }

            IReadOnlyList<AvailableModel> sorted = [.. models.OrderByDescending(m => m.CreatedAt)];
            _cached = (sorted, time.GetUtcNow());
            return sorted;
        }
        finally
        {
            _gate.Release();
        }
    }
}
