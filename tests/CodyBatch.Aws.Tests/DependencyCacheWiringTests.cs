using CodyBatch.Aws.Caches;
using CodyBatch.Core.Environments;

namespace CodyBatch.Aws.Tests;

/// <summary>Which dependency cache store a host gets: S3 when the bucket is configured (the workers on AWS), the data directory's folder otherwise.</summary>
public sealed class DependencyCacheWiringTests
{
    private static IDependencyCacheStore Resolve(string? bucket)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CodyBatch:DataDirectory"] = Path.GetTempPath(),
            ["CodyBatch:Aws:Region"] = "us-east-1",
            ["CodyBatch:Aws:BucketName"] = "codybatch-artifacts",
            ["CodyBatch:Aws:S3ServiceUrl"] = "http://127.0.0.1:1",
            ["CodyBatch:Aws:Caches:BucketName"] = bucket,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddCodyBatchCore(withWorker: false);
        services.AddAwsStorage();
        return services.BuildServiceProvider().GetRequiredService<IDependencyCacheStore>();
    }

    [Fact]
    public void With_a_bucket_the_worker_keeps_caches_in_s3_and_without_one_in_the_data_directory()
    {
        Assert.IsType<S3DependencyCacheStore>(Resolve("codybatch-caches"));
        Assert.IsType<LocalDependencyCacheStore>(Resolve(null));
    }
}
