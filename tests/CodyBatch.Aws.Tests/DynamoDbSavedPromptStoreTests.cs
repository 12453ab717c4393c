using CodyBatch.Aws.Documents;
using CodyBatch.Core.Notifications;
using CodyBatch.Core.Prompts;
using CodyBatch.Core.Schedules;

namespace CodyBatch.Aws.Tests;

[Collection(EmulatorCollection.Name)]
public sealed class DynamoDbSavedPromptStoreTests(Emulators emulators) : SavedPromptStoreContract
{
    private string _table = "";

    protected override async Task<(ISavedPromptStore Prompts, IScheduleStore Schedules, INotificationLog Notifications)> CreateStoresAsync()
    {
        var table = _table = $"codybatch-{Guid.NewGuid():N}";
        await new DynamoDbJobStore(emulators.DynamoDb, table, createTableIfMissing: true).InitializeAsync(CancellationToken.None);
        return (new DynamoDbSavedPromptStore(emulators.DynamoDb, table), new DynamoDbScheduleStore(emulators.DynamoDb, table), new DynamoDbNotificationLog(emulators.DynamoDb, table));
    }

    protected override async Task RemoveShellAndNetworkAsync(string scheduleId, string promptId)
    {
        foreach (var (partition, id) in new[] { ("SCHEDULES", scheduleId), ("PROMPTS", promptId) })
        {
            var key = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = partition }, ["sk"] = new() { S = id } };
            var item = (await emulators.DynamoDb.GetItemAsync(new GetItemRequest { TableName = _table, Key = key, ConsistentRead = true })).Item;
            var data = JsonNode.Parse(item["data"].S)!.AsObject();
            Assert.True(data.Remove("shell") && data.Remove("network"));
            item["data"] = new AttributeValue { S = data.ToJsonString() };
            await emulators.DynamoDb.PutItemAsync(new PutItemRequest { TableName = _table, Item = item });
        }
    }
}
