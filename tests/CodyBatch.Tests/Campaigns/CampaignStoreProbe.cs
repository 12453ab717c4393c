using CodyBatch.Core.Campaigns;

namespace CodyBatch.Tests.Campaigns;

/// <summary>
/// The server's campaign store with a test's hands on it: <see cref="Stored"/> hears every campaign write that
/// landed, <see cref="FailRowWrite"/> makes the row writes it accepts throw (a process that died there), and
/// <see cref="BeforeRowWrite"/> and <see cref="Listed"/> hold a row write or a listing of the rows until the test lets
/// it go (two writers interleaved in the order the test chooses).
/// </summary>
public sealed class CampaignStoreProbe(ICampaignStore inner) : ICampaignStore
{
    /// <summary>Told each campaign as stored.</summary>
    public Action<Campaign>? Stored { get; set; }

    /// <summary>A row write this accepts throws instead of being stored.</summary>
    public Func<CampaignRepository, bool>? FailRowWrite { get; set; }

    /// <summary>Awaited before each row write is stored.</summary>
    public Func<CampaignRepository, Task>? BeforeRowWrite { get; set; }

    /// <summary>Awaited after the rows were listed, before the caller gets them.</summary>
    public Func<IReadOnlyList<CampaignRepository>, Task>? Listed { get; set; }

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

    public async Task<IReadOnlyList<CampaignRepository>> ListRepositoriesAsync(string campaignId, CancellationToken cancellationToken)
    {
        var rows = await inner.ListRepositoriesAsync(campaignId, cancellationToken);
        await (Listed?.Invoke(rows) ?? Task.CompletedTask);
        return rows;
    }

    public Task<long> GetRowsVersionAsync(string campaignId, CancellationToken cancellationToken) => inner.GetRowsVersionAsync(campaignId, cancellationToken);

    public async Task<CampaignRepository?> TryUpdateRepositoryAsync(CampaignRepository row, CancellationToken cancellationToken)
    {
        await (BeforeRowWrite?.Invoke(row) ?? Task.CompletedTask);
        return FailRowWrite?.Invoke(row) == true
            ? throw new IOException($"The store went away while writing row {row.Index} of campaign {row.CampaignId}.")
            : await inner.TryUpdateRepositoryAsync(row, cancellationToken);
    }
}
