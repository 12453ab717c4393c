using CodyBatch.Core.Access;
using CodyBatch.Core.Artifacts;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Notifications;
using CodyBatch.Core.Prompts;
using CodyBatch.Core.PullRequests;
using CodyBatch.Core.Schedules;
using CodyBatch.Storage.Sqlite.Access;
using CodyBatch.Storage.Sqlite.Artifacts;
using CodyBatch.Storage.Sqlite.Documents;
using CodyBatch.Storage.Sqlite.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodyBatch.Storage.Sqlite;

/// <summary>Registers the embedded storage.</summary>
public static class SqliteStorageServiceCollectionExtensions
{
    /// <summary>Jobs, saved prompts, schedules, notification deliveries, API keys and the audit log in <c>DataDirectory/codybatch.db</c>, artifacts under <c>DataDirectory/artifacts</c>.</summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services)
    {
        services.AddSingleton<IJobStore>(sp => new SqliteJobStore(
            new SqliteStoreLocation(Path.Combine(sp.GetRequiredService<IOptions<CodyBatchOptions>>().Value.DataDirectory, "codybatch.db"))));
        services.AddSingleton(sp => (IDeliveryLog)sp.GetRequiredService<IJobStore>());
        services.AddSingleton<ISavedPromptStore>(sp => new SqliteSavedPromptStore((SqliteJobStore)sp.GetRequiredService<IJobStore>()));
        services.AddSingleton<IScheduleStore>(sp => new SqliteScheduleStore((SqliteJobStore)sp.GetRequiredService<IJobStore>()));
        services.AddSingleton<INotificationLog>(sp => new SqliteNotificationLog((SqliteJobStore)sp.GetRequiredService<IJobStore>()));
        services.AddSingleton<IApiKeyStore>(sp => new SqliteApiKeyStore((SqliteJobStore)sp.GetRequiredService<IJobStore>()));
        services.AddSingleton<IAuditLog>(sp => new SqliteAuditLog((SqliteJobStore)sp.GetRequiredService<IJobStore>()));
        services.AddSingleton<IArtifactStore>(sp => new FileArtifactStore(
            Path.Combine(sp.GetRequiredService<IOptions<CodyBatchOptions>>().Value.DataDirectory, "artifacts")));
        return services;
    }
}
