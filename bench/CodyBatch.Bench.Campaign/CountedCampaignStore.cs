using System.Collections.Concurrent;
using CodyBatch.Core.Campaigns;

namespace CodyBatch.Bench.Campaign;

/// <summary>The campaign store, each call counted under <c>ICampaignStore.Method</c> and then forwarded.</summary>
/// <remarks>Written out rather than a <c>DispatchProxy</c>: the server runs without code generated at run time, as shipped.</remarks>
internal sealed class CountedCampaignStore(ICampaignStore inner, ConcurrentDictionary<string, int> counts) : ICampaignStore
{
    public Task CreateAsync(Core.Campaigns.Campaign campaign, IReadOnlyList<CampaignRepository> repositories, CancellationToken cancellationToken) =>
        Count(nameof(CreateAsync), inner.CreateAsync(campaign, repositories, cancellationToken));

    public Task<Core.Campaigns.Campaign?> GetAsync(string id, CancellationToken cancellationToken) => Count(nameof(GetAsync), inner.GetAsync(id, cancellationToken));

    public Task<IReadOnlyList<Core.Campaigns.Campaign>> ListAsync(CancellationToken cancellationToken) => Count(nameof(ListAsync), inner.ListAsync(cancellationToken));

    public Task<Core.Campaigns.Campaign?> TryUpdateAsync(Core.Campaigns.Campaign campaign, CancellationToken cancellationToken) =>
        Count(nameof(TryUpdateAsync), inner.TryUpdateAsync(campaign, cancellationToken));

    public Task<IReadOnlyList<CampaignRepository>> ListRepositoriesAsync(string campaignId, CancellationToken cancellationToken) =>
        Count(nameof(ListRepositoriesAsync), inner.ListRepositoriesAsync(campaignId, cancellationToken));

    public Task<long> GetRowsVersionAsync(string campaignId, CancellationToken cancellationToken) =>
        Count(nameof(GetRowsVersionAsync), inner.GetRowsVersionAsync(campaignId, cancellationToken));

    public Task<CampaignRepository?> TryUpdateRepositoryAsync(CampaignRepository row, CancellationToken cancellationToken) =>
        Count(nameof(TryUpdateRepositoryAsync), inner.TryUpdateRepositoryAsync(row, cancellationToken));

    private T Count<T>(string method, T result)
    {
        counts.AddOrUpdate($"ICampaignStore.{method}", 1, (_, n) => n + 1);
        return result;
    }
}
