using CodyBatch.Core.Notifications;
using CodyBatch.Core.Prompts;
using CodyBatch.Core.Schedules;
using CodyBatch.Storage.Sqlite.Documents;

namespace CodyBatch.Storage.Sqlite.Tests;

public sealed class SqliteSavedPromptStoreTests : SavedPromptStoreContract, IDisposable
{
    private readonly TempDirectory _folder = new();

    protected override async Task<(ISavedPromptStore Prompts, IScheduleStore Schedules, INotificationLog Notifications)> CreateStoresAsync()
    {
        var database = new SqliteJobStore(new SqliteStoreLocation(_folder.Combine("data", "codybatch.db")));
        await database.InitializeAsync(CancellationToken.None);
        return (new SqliteSavedPromptStore(database), new SqliteScheduleStore(database), new SqliteNotificationLog(database));
    }

    protected override async Task RemoveShellAndNetworkAsync(string scheduleId, string promptId)
    {
        // A connection of its own, as an older version of the store would have written the rows.
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_folder.Combine("data", "codybatch.db")}");
        await connection.OpenAsync();
        foreach (var (table, id) in new[] { ("schedules", scheduleId), ("saved_prompts", promptId) })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"UPDATE {table} SET data = json_remove(data, '$.shell', '$.network') WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
    }

    public void Dispose() => _folder.Dispose();
}
