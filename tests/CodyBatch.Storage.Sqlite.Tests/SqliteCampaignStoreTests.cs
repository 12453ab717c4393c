using CodyBatch.Core.Campaigns;
using CodyBatch.Storage.Sqlite.Campaigns;

namespace CodyBatch.Storage.Sqlite.Tests;

public sealed class SqliteCampaignStoreTests : CampaignStoreContract, IDisposable
{
    private readonly TempDirectory _folder = new();

    protected override async Task<ICampaignStore> CreateStoreAsync()
    {
        var database = new SqliteJobStore(new SqliteStoreLocation(_folder.Combine("data", Guid.NewGuid().ToString("N") + ".db")));
        await database.InitializeAsync(CancellationToken.None);
        return new SqliteCampaignStore(database);
    }

    public void Dispose() => _folder.Dispose();
}
