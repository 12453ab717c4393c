using CodyBatch.Claude.Messages;
using CodyBatch.Claude.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace CodyBatch.Claude.Tests;

public sealed class ModelCatalogTests
{
    [Fact]
    public async Task The_catalog_reads_every_page_of_the_models_api_and_prices_what_the_price_table_knows()
    {
        await using var api = await FakeMessagesApi.StartAsync();
        api.Models.Add(new FakeModel("claude-haiku-4-5-20251001", "Claude Haiku 4.5", new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero)));
        api.Models.Add(new FakeModel("claude-future-9", "Claude Future 9", new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        using var clients = new ClaudeClientFactory(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ANTHROPIC_API_KEY"] = api.ApiKey,
            ["ANTHROPIC_BASE_URL"] = api.BaseUrl,
        }).Build());
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var catalog = new ModelCatalog(clients, Options.Create(new ClaudeOptions()), time) { PageSize = 2 };

        var models = await catalog.ListAsync(CancellationToken.None);
        await catalog.ListAsync(CancellationToken.None);

        Assert.Empty(api.Problems);
        Assert.Equal(["?limit=2", "?limit=2&after_id=claude-opus-4-1-20250805", "?limit=2&after_id=claude-haiku-4-5-20251001"], api.ModelListRequests);
        Assert.Equal(
            ["claude-haiku-4-5-20251001", "claude-sonnet-4-5-20250929", "claude-opus-4-1-20250805", "claude-sonnet-4-20250514", "claude-future-9"],
            models.Select(m => m.Id));
        var sonnet = models.Single(m => m.Id == "claude-sonnet-4-5-20250929");
        Assert.Equal(("Claude Sonnet 4.5", 3m, 15m, 3.75m, 0.3m), (sonnet.DisplayName, sonnet.InputPerMillion, sonnet.OutputPerMillion, sonnet.CacheWritePerMillion, sonnet.CacheReadPerMillion));
        Assert.Equal(1m, models.Single(m => m.Id.StartsWith("claude-haiku", StringComparison.Ordinal)).InputPerMillion);
        Assert.Null(models.Single(m => m.Id == "claude-future-9").InputPerMillion);

        time.Advance(TimeSpan.FromMinutes(11));
        await catalog.ListAsync(CancellationToken.None);
        Assert.Equal(6, api.ModelListRequests.Count);
    }
}
