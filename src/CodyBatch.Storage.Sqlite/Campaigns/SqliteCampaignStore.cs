using CodyBatch.Core.Campaigns;
using CodyBatch.Storage.Sqlite.Documents;

namespace CodyBatch.Storage.Sqlite.Campaigns;

/// <summary>Fleet campaigns in the job store's SQLite file: tables <c>campaigns</c> and <c>campaign_repositories</c>.</summary>
public sealed class SqliteCampaignStore(SqliteJobStore database) : ICampaignStore
{
    // A campaign's rows: '#' sorts before '$', so the range holds exactly this campaign's keys.
    private const string RowsOf = "WHERE id > $from AND id < $to";

    private readonly SqliteDocuments<Campaign> _campaigns = new(
        database, "campaigns", c => c.Id, c => c.Version, c => c.Id, (c, v) => c with { Version = v });

    private readonly SqliteDocuments<CampaignRepository> _rows = new(
        database, "campaign_repositories", r => r.Key, r => r.Version, r => r.Key, (r, v) => r with { Version = v });

    /// <inheritdoc />
    public async Task CreateAsync(Campaign campaign, IReadOnlyList<CampaignRepository> repositories, CancellationToken cancellationToken)
    {
        // Rows first: a campaign is listed only once all of its rows are there.
        await _rows.CreateManyAsync(repositories, cancellationToken);
        await _campaigns.CreateAsync(campaign, cancellationToken);
    }

    /// <inheritdoc />
    public Task<Campaign?> GetAsync(string id, CancellationToken cancellationToken) => _campaigns.GetAsync(id, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<Campaign>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await _campaigns.ListAsync(cancellationToken)).Reverse()];

    /// <inheritdoc />
    public Task<Campaign?> TryUpdateAsync(Campaign campaign, CancellationToken cancellationToken) => _campaigns.TryUpdateAsync(campaign, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<CampaignRepository>> ListRepositoriesAsync(string campaignId, CancellationToken cancellationToken) =>
        _rows.WhereAsync(RowsOf, c => BindRows(c, campaignId), cancellationToken);

    /// <inheritdoc />
    public Task<long> GetRowsVersionAsync(string campaignId, CancellationToken cancellationToken) =>
        _rows.SumVersionsAsync(RowsOf, c => BindRows(c, campaignId), cancellationToken);

    /// <inheritdoc />
    public Task<CampaignRepository?> TryUpdateRepositoryAsync(CampaignRepository row, CancellationToken cancellationToken) => _rows.TryUpdateAsync(row, cancellationToken);

    private static void BindRows(SqliteCommand command, string campaignId)
    {
        command.Parameters.AddWithValue("$from", campaignId + "#");
        command.Parameters.AddWithValue("$to", campaignId + "$");
    }
}
