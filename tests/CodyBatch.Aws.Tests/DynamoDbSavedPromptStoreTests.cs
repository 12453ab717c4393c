using CodyBatch.Aws.Documents;
using CodyBatch.Core.Notifications;
using CodyBatch.Core.Prompts;
using CodyBatch.Core.Schedules;

namespace CodyBatch.Aws.Tests;

[Collection(EmulatorCollection.Name)]
public sealed class DynamoDbSavedPromptStoreTests(Emulators emulators) : SavedPromptStoreContract
{
    protected override async Task<(ISavedPromptStore Prompts, IScheduleStore Schedules, INotificationLog Notifications)> CreateStoresAsync()
    {
        var table = $"codybatch-{Guid.NewGuid():N}";
        await new DynamoDbJobStore(emulators.DynamoDb, table, createTableIfMissing: true).InitializeAsync(CancellationToken.None);
        return (new DynamoDbSavedPromptStore(emulators.DynamoDb, table), new DynamoDbScheduleStore(emulators.DynamoDb, table), new DynamoDbNotificationLog(emulators.DynamoDb, table));
    }
}
