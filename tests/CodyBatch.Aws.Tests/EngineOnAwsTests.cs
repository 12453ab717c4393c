using CodyBatch.Core.Repositories;
using CodyBatch.LocalGit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CodyBatch.Aws.Tests;

/// <summary>The engine as a Batch job runs it (<c>worker --job-id</c>), on DynamoDB and S3.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class EngineOnAwsTests(Emulators emulators) : IDisposable
{
    private readonly TempDirectory _data = new("codybatch-aws-engine");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Two_workers_on_one_job_share_its_runs_and_finish_it_with_artifacts_in_s3()
    {
        var table = $"codybatch-{Guid.NewGuid():N}";
        var bucket = $"codybatch-{Guid.NewGuid():N}"[..40];
        await emulators.S3.PutBucketAsync(new Amazon.S3.Model.PutBucketRequest { BucketName = bucket });
        var repositories = new FakeRepositoryHost().AddSimple("acme/a", "acme/b", "acme/c", "acme/d");
        using var first = Worker(table, bucket, repositories);
        using var second = Worker(table, bucket, repositories);
        await first.StartAsync();
        await second.StartAsync();
        var (job, _) = await first.Services.GetRequiredService<JobService>().CreateAsync(
            new JobRequest { Prompt = "Append a line", Repositories = ["acme/a", "acme/b", "acme/c", "acme/d"] }, CancellationToken.None);

        var ended = await Task.WhenAll(
            first.Services.GetRequiredService<SingleJobRunner>().RunAsync(job!.Id, CancellationToken.None),
            second.Services.GetRequiredService<SingleJobRunner>().RunAsync(job.Id, CancellationToken.None));

        Assert.All(ended, j => Assert.Equal(JobStatus.Completed, j.Status));
        var stored = await first.Services.GetRequiredService<IJobStore>().GetAsync(job.Id, CancellationToken.None);
        Assert.All(stored!.Runs, run =>
        {
            Assert.Equal(RunStatus.Succeeded, run.Status);
            Assert.Equal(1, run.Attempts);
        });
        await using var patch = await first.Services.GetRequiredService<IArtifactStore>().OpenReadAsync(stored.Runs[2].PatchArtifact!, CancellationToken.None);
        Assert.Contains("+changed by acme/c", await new StreamReader(patch!).ReadToEndAsync(), StringComparison.Ordinal);
        await first.StopAsync();
        await second.StopAsync();
    }

    private IHost Worker(string table, string bucket, IRepositoryHost repositories)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CodyBatch:DataDirectory"] = _data.Path,
            ["CodyBatch:Worker:Concurrency"] = "2",
            ["CodyBatch:Worker:PollInterval"] = "00:00:00.050",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddCodyBatchCore(withWorker: false);
        builder.Services.AddLocalGit();
        builder.Services.AddSingleton<IJobStore>(new DynamoDbJobStore(emulators.DynamoDb, table, createTableIfMissing: true));
        builder.Services.AddSingleton<IArtifactStore>(new S3ArtifactStore(emulators.S3, bucket));
        builder.Services.AddSingleton<CodyBatch.Core.Notifications.INotificationLog>(new CodyBatch.Aws.Documents.DynamoDbNotificationLog(emulators.DynamoDb, table));
        builder.Services.AddSingleton<CodyBatch.Core.Schedules.IScheduleStore>(new CodyBatch.Aws.Documents.DynamoDbScheduleStore(emulators.DynamoDb, table));
        builder.Services.AddSingleton<CodyBatch.Core.Prompts.ISavedPromptStore>(new CodyBatch.Aws.Documents.DynamoDbSavedPromptStore(emulators.DynamoDb, table));
        builder.Services.AddSingleton<CodyBatch.Core.Access.IApiKeyStore>(new CodyBatch.Aws.Access.DynamoDbApiKeyStore(emulators.DynamoDb, table));
        builder.Services.AddSingleton<CodyBatch.Core.Access.IAuditLog>(new CodyBatch.Aws.Access.DynamoDbAuditLog(emulators.DynamoDb, table));
        builder.Services.AddSingleton(repositories);
        builder.Services.AddSingleton<ICodeAgent>(ScriptedCodeAgent.AppendingTo("README.md", TimeSpan.FromMilliseconds(200)));
        return builder.Build();
    }
}
