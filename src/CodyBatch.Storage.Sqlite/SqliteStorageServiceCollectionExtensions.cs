using CodyBatch.Core.Access;
using CodyBatch.Core.Artifacts;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Notifications;
using CodyBatch.Core.Prompts;
using CodyBatch.Core.PullRequests;
using CodyBatch.Core.Schedules;
using CodyBatch.Storage.Sqlite.Access;
using CodyBatch.Storage.Sqlite.Artifacts;
using CodyBatch.Storage.Sqlite.Documents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodyBatch.Storage.Sqlite;

/// <summary>Registers the embedded storage.</summary>
public static class SqliteStorageServiceCollectionExtensions
{
    /// <summary>Jobs, saved prompts, schedules, notification deliveries, API keys and the audit log in <c>DataDirectory/codybatch.db</c>, artifacts under <c>DataDirectory/artifacts</c>.</summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services)
    {
        // One database behind every store; the job store is registered by its own type too, so a host
        // may wrap IJobStore (tests observe its writes) without losing the stores that share its file.
        services.AddSingleton(sp => new SqliteJobStore(
            new SqliteStoreLocation(Path.Combine(sp.GetRequiredService<IOptions<CodyBatchOptions>>().Value.DataDirectory, "codybatch.db"))));
        services.AddSingleton<IJobStore>(sp => sp.GetRequiredService<SqliteJobStore>());
        services.AddSingleton<IDeliveryLog>(sp => sp.GetRequiredService<SqliteJobStore>());
        services.AddSingleton<ISavedPromptStore>(sp => new SqliteSavedPromptStore(sp.GetRequiredService<SqliteJobStore>()));
        services.AddSingleton<IScheduleStore>(sp => new SqliteScheduleStore(sp.GetRequiredService<SqliteJobStore>()));
        services.AddSingleton<INotificationLog>(sp => new SqliteNotificationLog(sp.GetRequiredService<SqliteJobStore>()));
        services.AddSingleton<IApiKeyStore>(sp => new SqliteApiKeyStore(sp.GetRequiredService<SqliteJobStore>()));
        services.AddSingleton<IAuditLog>(sp => new SqliteAuditLog(sp.GetRequiredService<SqliteJobStore>()));
        services.AddSingleton<IArtifactStore>(sp => new FileArtifactStore(
            Path.Combine(sp.GetRequiredService<IOptions<CodyBatchOptions>>().Value.DataDirectory, "artifacts")));
        return services;
    }
}
