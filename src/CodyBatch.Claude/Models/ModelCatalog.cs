using Anthropic.Exceptions;
using Anthropic.Models.Models;
using CodyBatch.Claude.Agent;
using CodyBatch.Claude.Bedrock;
using CodyBatch.Claude.Messages;
using CodyBatch.Claude.Pricing;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Options;

namespace CodyBatch.Claude.Models;

/// <summary>
/// The models the API key may use, from Anthropic's Models API (<c>GET /v1/models</c>, every page),
/// each with its price from the configured price table; under Bedrock, from Bedrock's list (see <see cref="BedrockModelList"/>). Kept for a few minutes: the list changes
/// seldom and pickers ask often.
/// </summary>
public sealed class ModelCatalog(
    ClaudeClientFactory clients, IOptions<ClaudeOptions> options, TimeProvider time, BedrockClientFactory? bedrock = null, BedrockModelList? bedrockModels = null) : IModelCatalog
{
    /// <summary>Models per page asked of the API.</summary>
    internal int PageSize { get; init; } = 100;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    // A list from the price table is asked for again sooner: the provider's list may be readable by then.
    private static readonly TimeSpan FallbackLifetime = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (ModelListing Listing, DateTimeOffset At)? _cached;

    private async Task<List<AvailableModel>> FetchAsync(CancellationToken cancellationToken)
    {
        var prices = new PriceTable(options.Value.Prices);
        var models = new List<AvailableModel>();
        try
        {
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
                    return models;
                }

                page = await page.Next(cancellationToken);
            }
        }
        catch (AnthropicApiException e)
        {
            throw new RunFailedException($"Anthropic's Models API answered {(int)e.StatusCode}; check ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL.", e);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is AnthropicIOException or HttpRequestException or IOException)
        {
            throw new RunFailedException("Anthropic's Models API could not be reached; check ANTHROPIC_BASE_URL and the network.", e);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AvailableModel>> ListAsync(CancellationToken cancellationToken) => (await ListingAsync(cancellationToken)).Models;

    /// <inheritdoc />
    public async Task<ModelListing> ListingAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } cached && time.GetUtcNow() - cached.At < (cached.Listing.Source == "price-table" ? FallbackLifetime : Lifetime))
            {
                return cached.Listing;
            }

            // Under Bedrock, Bedrock's list of Anthropic models; Anthropic's Models API otherwise.
            var listing = bedrock is { IsSelected: true } && bedrockModels is not null
                ? await bedrockModels.ListAsync(new PriceTable(options.Value.Prices), cancellationToken)
                : new ModelListing([.. (await FetchAsync(cancellationToken)).OrderByDescending(m => m.CreatedAt)], "anthropic", null);
            _cached = (listing, time.GetUtcNow());
            return listing;
        }
        finally
        {
            _gate.Release();
        }
    }
}
