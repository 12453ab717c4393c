using Amazon;
using Amazon.DynamoDBv2;
using Amazon.S3;
using CodyBatch.Aws.Artifacts;
using CodyBatch.Aws.Jobs;
using CodyBatch.Core.Artifacts;
using CodyBatch.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodyBatch.Aws;

/// <summary>Registers the AWS storage.</summary>
public static class AwsStorageServiceCollectionExtensions
{
    /// <summary>Jobs in DynamoDB and artifacts in S3, as <c>CodyBatch:Aws</c> says.</summary>
    public static IServiceCollection AddAwsStorage(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<AwsStorageOptions>().BindConfiguration(AwsStorageOptions.Section).ValidateDataAnnotations();
        services.AddSingleton<IAmazonDynamoDB>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AwsStorageOptions>>().Value;
            var config = new AmazonDynamoDBConfig();
            if (!string.IsNullOrEmpty(options.DynamoDbServiceUrl))
            {
                config.ServiceURL = options.DynamoDbServiceUrl;
                config.AuthenticationRegion = options.Region ?? "us-east-1";
            }
            else if (!string.IsNullOrEmpty(options.Region))
            {
                config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
            }

            return new AmazonDynamoDBClient(config);
        });
        services.AddSingleton<IAmazonS3>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AwsStorageOptions>>().Value;
            var config = new AmazonS3Config();
            if (!string.IsNullOrEmpty(options.S3ServiceUrl))
            {
                config.ServiceURL = options.S3ServiceUrl;
                config.ForcePathStyle = true;
                config.AuthenticationRegion = options.Region ?? "us-east-1";
            }
            else if (!string.IsNullOrEmpty(options.Region))
            {
                config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
            }

            return new AmazonS3Client(config);
        });
        services.AddSingleton<IJobStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AwsStorageOptions>>().Value;
            return new DynamoDbJobStore(sp.GetRequiredService<IAmazonDynamoDB>(), options.TableName, options.CreateTableIfMissing);
        });
        services.AddSingleton<IArtifactStore>(sp =>
            new S3ArtifactStore(sp.GetRequiredService<IAmazonS3>(), sp.GetRequiredService<IOptions<AwsStorageOptions>>().Value.BucketName!));
        return services;
    }
}
