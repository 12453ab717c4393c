namespace CodyBatch.Core.Campaigns;

/// <summary>
/// Where campaigns and their repository rows live. Every implementation passes the same contract suite. Updates are
/// optimistic on each record's version: a write whose version is stale returns null (read again and retry).
/// </summary>
public interface ICampaignStore
{
    /// <summary>Stores a new campaign and its rows. Throws when the id exists.</summary>
    Task CreateAsync(Campaign campaign, IReadOnlyList<CampaignRepository> repositories, CancellationToken cancellationToken);

    /// <summary>The campaign, or null.</summary>
    Task<Campaign?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every campaign, newest first.</summary>
    Task<IReadOnlyList<Campaign>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the campaign if its stored version equals <c>campaign.Version</c>; the stored campaign, or null.</summary>
    Task<Campaign?> TryUpdateAsync(Campaign campaign, CancellationToken cancellationToken);

    /// <summary>The campaign's rows in list order (empty when there is no such campaign).</summary>
    Task<IReadOnlyList<CampaignRepository>> ListRepositoriesAsync(string campaignId, CancellationToken cancellationToken);

    /// <summary>
    /// The campaign's rows' versions added up, read without the rows (0 when there are none). Every row write adds
    /// one, so a reader that kept what it built from the rows knows by this whether any of them changed since.
    /// </summary>
    Task<long> GetRowsVersionAsync(string campaignId, CancellationToken cancellationToken);

    /// <summary>Replaces one row if its stored version equals <c>row.Version</c>; the stored row, or null.</summary>
    Task<CampaignRepository?> TryUpdateRepositoryAsync(CampaignRepository row, CancellationToken cancellationToken);
}
