using CodyBatch.Core.Repositories;
using CodyBatch.LocalGit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CodyBatch.Aws.Tests;

/// <summary>A worker host as <c>codybatch worker --job-id</c> builds it, on the emulators, with the given store and agent.</summary>
internal static class TestWorkers
{
    public static IHost Create(string dataDirectory, IJobStore store, Emulators emulators, string bucket, IRepositoryHost repositories, ICodeAgent agent, string lease = "00:00:03")
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CodyBatch:DataDirectory"] = dataDirectory,
            ["CodyBatch:Worker:Concurrency"] = "2",
            ["CodyBatch:Worker:PollInterval"] = "00:00:00.050",
            ["CodyBatch:Worker:LeaseDuration"] = lease,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddCodyBatchCore(withWorker: false);
        builder.Services.AddLocalGit();
        builder.Services.AddSingleton(store);
        if (store is DynamoDbJobStore dynamo)
        {
            // What the deployed worker's storage registers beside the job store: keys for spend caps, the audit log.
            builder.Services.AddSingleton<CodyBatch.Core.Access.IApiKeyStore>(new CodyBatch.Aws.Access.DynamoDbApiKeyStore(emulators.DynamoDb, dynamo.TableName));
            builder.Services.AddSingleton<CodyBatch.Core.Access.IAuditLog>(new CodyBatch.Aws.Access.DynamoDbAuditLog(emulators.DynamoDb, dynamo.TableName));
        }

        builder.Services.AddSingleton<IArtifactStore>(new S3ArtifactStore(emulators.S3, bucket));
        builder.Services.AddSingleton(repositories);
        builder.Services.AddSingleton(agent);
        return builder.Build();
    }

    public static async Task<string> BucketAsync(Emulators emulators)
    {
        var bucket = $"codybatch-{Guid.NewGuid():N}"[..40];
        await emulators.S3.PutBucketAsync(new Amazon.S3.Model.PutBucketRequest { BucketName = bucket });
        return bucket;
    }
}
