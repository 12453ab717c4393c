using CodyBatch.Aws.Campaigns;
using CodyBatch.Core.Campaigns;

namespace CodyBatch.Aws.Tests;

[Collection(EmulatorCollection.Name)]
public sealed class DynamoDbCampaignStoreTests(Emulators emulators) : CampaignStoreContract
{
    protected override async Task<ICampaignStore> CreateStoreAsync()
    {
        var table = $"codybatch-{Guid.NewGuid():N}";
        await new DynamoDbJobStore(emulators.DynamoDb, table, createTableIfMissing: true).InitializeAsync(CancellationToken.None);
        return new DynamoDbCampaignStore(emulators.DynamoDb, table);
    }
}
