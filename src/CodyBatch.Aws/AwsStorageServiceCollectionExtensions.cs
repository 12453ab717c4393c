using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using CodyBatch.Aws.Access;
using CodyBatch.Aws.Artifacts;
using CodyBatch.Aws.Caches;
using CodyBatch.Aws.Dispatch;
using CodyBatch.Aws.Documents;
using CodyBatch.Aws.Jobs;
using CodyBatch.Core.Access;
using CodyBatch.Core.Environments;
using CodyBatch.Core.Notifications;
using CodyBatch.Core.Prompts;
using CodyBatch.Core.PullRequests;
using CodyBatch.Core.Schedules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CodyBatch.Aws;

/// <summary>Registers the AWS storage.</summary>
public static class AwsStorageServiceCollectionExtensions
{
    /// <summary>Jobs, saved prompts, schedules, notification deliveries, API keys and the audit log in DynamoDB and artifacts in S3, as <c>CodyBatch:Aws</c> says.</summary>
    public static IServiceCollection AddAwsStorage(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<AwsStorageOptions>().BindConfiguration(AwsStorageOptions.Section).ValidateDataAnnotations();
        services.AddSingleton<IAmazonDynamoDB>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AwsStorageOptions>>().Value;
            return new AmazonDynamoDBClient(Endpoint(new AmazonDynamoDBConfig(), options.DynamoDbServiceUrl, options.Region));
        });
        services.AddSingleton<IAmazonS3>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AwsStorageOptions>>().Value;
            var config = Endpoint(new AmazonS3Config(), options.S3ServiceUrl, options.Region);

            // Emulators answer at one address, not at bucket subdomains.
            config.ForcePathStyle = !string.IsNullOrEmpty(options.S3ServiceUrl);
            return new AmazonS3Client(config);
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AwsStorageOptions>>().Value;
            return new DynamoDbJobStore(
                sp.GetRequiredService<IAmazonDynamoDB>(),
                options.TableName,
                options.CreateTableIfMissing,
                sp.GetRequiredService<IArtifactStore>(),
                sp.GetRequiredService<TimeProvider>(),
                deliveryRetention: sp.GetRequiredService<IOptions<PullRequestOptions>>().Value.DeliveryRetention);
        });
        services.AddSingleton<IJobStore>(sp => sp.GetRequiredService<DynamoDbJobStore>());
        services.AddOptionsWithValidateOnStart<ReconcilerOptions>().BindConfiguration(ReconcilerOptions.Section).ValidateDataAnnotations();
        services.AddSingleton(sp => new DispatchReconciler(
            sp.GetRequiredService<DynamoDbJobStore>(),
            sp.GetRequiredService<IAmazonDynamoDB>(),
            sp.GetRequiredService<IOptions<AwsStorageOptions>>().Value.TableName,
            sp.GetRequiredService<IOptions<ReconcilerOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<DispatchReconciler>>(),
            sp.GetService<CodyBatch.Core.Notifications.JobNotifier>()));
        services.AddSingleton(sp => (IDeliveryLog)sp.GetRequiredService<IJobStore>());
        services.AddS3DependencyCaches();
        services.AddSingleton<ISavedPromptStore>(sp => new DynamoDbSavedPromptStore(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<IOptions<AwsStorageOptions>>().Value.TableName));
        services.AddSingleton<IScheduleStore>(sp => new DynamoDbScheduleStore(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<IOptions<AwsStorageOptions>>().Value.TableName));
        services.AddSingleton<INotificationLog>(sp => new DynamoDbNotificationLog(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<IOptions<AwsStorageOptions>>().Value.TableName));
        services.AddSingleton<IApiKeyStore>(sp => new DynamoDbApiKeyStore(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<IOptions<AwsStorageOptions>>().Value.TableName));
        services.AddSingleton<IAuditLog>(sp => new DynamoDbAuditLog(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<IOptions<AwsStorageOptions>>().Value.TableName));
        services.AddSingleton<IArtifactStore>(sp =>
            new S3ArtifactStore(sp.GetRequiredService<IAmazonS3>(), sp.GetRequiredService<IOptions<AwsStorageOptions>>().Value.BucketName!));
        return services;
    }

    // An endpoint other than AWS's (an emulator) when one is set, otherwise the region (or the SDK's default chain).
    private static T Endpoint<T>(T config, string? serviceUrl, string? region)
        where T : ClientConfig
    {
        if (!string.IsNullOrEmpty(serviceUrl))
        {
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else if (!string.IsNullOrEmpty(region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return config;
    }

    /// <summary>
    /// Dependency caches in S3 when <c>CodyBatch:Aws:Caches:BucketName</c> is set (the workers on AWS); this replaces any
    /// <see cref="IDependencyCacheStore"/> registered before, so the caches outlive the worker's instance; without a bucket
    /// that one stays (or, if there is none, no cache is kept).
    /// </summary>
    public static IServiceCollection AddS3DependencyCaches(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<DependencyCacheOptions>().BindConfiguration(DependencyCacheOptions.Section).ValidateDataAnnotations();
        var previous = services.LastOrDefault(d => d.ServiceType == typeof(IDependencyCacheStore) && !d.IsKeyedService);
        services.RemoveAll<IDependencyCacheStore>();
        services.AddSingleton<IDependencyCacheStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DependencyCacheOptions>>();
            return string.IsNullOrEmpty(options.Value.BucketName)
                ? Resolve(sp, previous)
                : new S3DependencyCacheStore(sp.GetRequiredService<IAmazonS3>(), options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<S3DependencyCacheStore>>());
        });
        return services;
    }

    private static IDependencyCacheStore Resolve(IServiceProvider services, ServiceDescriptor? descriptor) => descriptor switch
    {
        null => new NoDependencyCacheStore(),
        { ImplementationInstance: IDependencyCacheStore instance } => instance,
        { ImplementationFactory: { } factory } => (IDependencyCacheStore)factory(services),
        { ImplementationType: { } type } => (IDependencyCacheStore)ActivatorUtilities.CreateInstance(services, type),
        _ => new NoDependencyCacheStore(),
    };
}
