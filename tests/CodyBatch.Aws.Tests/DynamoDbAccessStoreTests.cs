using CodyBatch.Aws.Access;
using CodyBatch.Core.Access;

namespace CodyBatch.Aws.Tests;

[Collection(EmulatorCollection.Name)]
public sealed class DynamoDbAccessStoreTests(Emulators emulators) : AccessStoreContract
{
    protected override async Task<(IApiKeyStore Keys, IAuditLog Audit)> CreateStoresAsync()
    {
        var table = $"codybatch-{Guid.NewGuid():N}";
        await new DynamoDbJobStore(emulators.DynamoDb, table, createTableIfMissing: true).InitializeAsync(CancellationToken.None);
        return (new DynamoDbApiKeyStore(emulators.DynamoDb, table), new DynamoDbAuditLog(emulators.DynamoDb, table));
    }
}
