using CodyBatch.Aws.Documents;
using CodyBatch.Core.Campaigns;

namespace CodyBatch.Aws.Campaigns;

/// <summary>
/// Fleet campaigns in the jobs table: the campaign at <c>pk = CAMPAIGNS, sk = id</c> (ids sort by creation time), its
/// repository rows at <c>pk = CAMPAIGN#id, sk = index</c> (zero-padded, so one query reads them in list order).
/// </summary>
public sealed class DynamoDbCampaignStore(IAmazonDynamoDB client, string tableName) : ICampaignStore
{
    private readonly DynamoDbDocuments<Campaign> _campaigns = new(client, tableName, "CAMPAIGNS", c => c.Id, c => c.Version, (c, v) => c with { Version = v });

    /// <inheritdoc />
    public async Task CreateAsync(Campaign campaign, IReadOnlyList<CampaignRepository> repositories, CancellationToken cancellationToken)
    {
        // Rows first: a campaign is listed only once all of its rows are there.
        await Rows(campaign.Id).CreateManyAsync(repositories, cancellationToken);
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
        Rows(campaignId).ListAsync(cancellationToken);

    /// <inheritdoc />
    public Task<long> GetRowsVersionAsync(string campaignId, CancellationToken cancellationToken) =>
        Rows(campaignId).SumVersionsAsync(cancellationToken);

    /// <inheritdoc />
    public Task<CampaignRepository?> TryUpdateRepositoryAsync(CampaignRepository row, CancellationToken cancellationToken) =>
        Rows(row.CampaignId).TryUpdateAsync(row, cancellationToken);

    private DynamoDbDocuments<CampaignRepository> Rows(string campaignId) =>
        new(client, tableName, $"CAMPAIGN#{campaignId}", r => r.Index.ToString("D5", System.Globalization.CultureInfo.InvariantCulture), r => r.Version, (r, v) => r with { Version = v });
}
