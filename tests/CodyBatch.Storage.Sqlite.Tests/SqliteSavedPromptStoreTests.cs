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

    public void Dispose() => _folder.Dispose();
}
