using CodyBatch.Core.Campaigns;

namespace CodyBatch.Tests.Campaigns;

/// <summary>
/// The server's campaign store with a test's hands on it: <see cref="Stored"/> hears every campaign write that
/// landed, and <see cref="FailRowWrite"/> makes the row writes it accepts throw (a process that died there).
/// </summary>
public sealed class CampaignStoreProbe(ICampaignStore inner) : ICampaignStore
{
    /// <summary>Told each campaign as stored.</summary>
    public Action<Campaign>? Stored { get; set; }

    /// <summary>A row write this accepts throws instead of being stored.</summary>
    public Func<CampaignRepository, bool>? FailRowWrite { get; set; }

    public Task CreateAsync(Campaign campaign, IReadOnlyList<CampaignRepository> repositories, CancellationToken cancellationToken) =>
        inner.CreateAsync(campaign, repositories, cancellationToken);

    public Task<Campaign?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<Campaign>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public async Task<Campaign?> TryUpdateAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        var stored = await inner.TryUpdateAsync(campaign, cancellationToken);
        if (stored is not null)
        {
            Stored?.Invoke(stored);
        }

        return stored;
    }

    public Task<IReadOnlyList<CampaignRepository>> ListRepositoriesAsync(string campaignId, CancellationToken cancellationToken) =>
        inner.ListRepositoriesAsync(campaignId, cancellationToken);

    public Task<long> GetRowsVersionAsync(string campaignId, CancellationToken cancellationToken) => inner.GetRowsVersionAsync(campaignId, cancellationToken);

    public Task<CampaignRepository?> TryUpdateRepositoryAsync(CampaignRepository row, CancellationToken cancellationToken) =>
        FailRowWrite?.Invoke(row) == true
            ? throw new IOException($"The store went away while writing row {row.Index} of campaign {row.CampaignId}.")
            : inner.TryUpdateRepositoryAsync(row, cancellationToken);
}
