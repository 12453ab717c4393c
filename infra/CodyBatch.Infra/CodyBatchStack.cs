using Amazon.CDK;
using Amazon.CDK.AWS.Batch;
using Amazon.CDK.AWS.CloudFront;
using Amazon.CDK.AWS.CloudFront.Origins;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.Pipes;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.S3.Deployment;
using Constructs;

namespace CodyBatch.Infra;

/// <summary>
/// Cody Batch on AWS. One container image serves every role: <c>codybatch serve</c> on Lambda (behind
/// the Lambda Web Adapter, workers off) and <c>codybatch worker --job-id</c> on AWS Batch (Fargate).
/// Jobs live in DynamoDB; its stream feeds an EventBridge Pipe that submits a Batch job whenever a job
/// is created or a finished job gets a run queued again (a retry), so the application needs no Batch SDK.
/// </summary>
public sealed class CodyBatchStack : Stack
{
    /// <summary>Context key: an ECR repository name holding a built image (instead of building the Dockerfile as an asset).</summary>
    public const string EcrRepositoryContext = "codybatch:ecrRepository";

    /// <summary>Context key: the tag of that image.</summary>
    public const string ImageTagContext = "codybatch:imageTag";

    /// <summary>Context key: the folder of the built web UI (web/dist); a placeholder page is deployed without it.</summary>
    public const string WebDistContext = "codybatch:webDist";

    public CodyBatchStack(Construct scope, string id, IStackProps? props = null)
        : base(scope, id, props)
    {
        var anthropicKey = new CfnParameter(this, "AnthropicApiKey", new CfnParameterProps { Type = "String", NoEcho = true, Description = "ANTHROPIC_API_KEY for the workers." });
        var githubToken = new CfnParameter(this, "GitHubToken", new CfnParameterProps { Type = "String", NoEcho = true, Description = "GITHUB_TOKEN of the service account." });
        var apiKey = new CfnParameter(this, "ApiKey", new CfnParameterProps { Type = "String", NoEcho = true, MinLength = 16, Description = "The API key clients send as 'Authorization: Bearer <key>'." });

        // State: one table (see DynamoDbJobStore for the access patterns), streamed for dispatch.
        var table = new Table(this, "Jobs", new TableProps
        {
            PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "pk", Type = AttributeType.STRING },
            SortKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = "sk", Type = AttributeType.STRING },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            PointInTimeRecovery = true,
            Stream = StreamViewType.NEW_AND_OLD_IMAGES,
            Encryption = TableEncryption.AWS_MANAGED,
            RemovalPolicy = RemovalPolicy.RETAIN,
            // Webhook delivery records expire on their own.
            TimeToLiveAttribute = "expiresAt",
        });
        foreach (var (name, partition, sort) in new[] { ("gsi1", "gsi1pk", "gsi1sk"), ("gsi2", "gsi2pk", "gsi2sk"), ("gsi3", "open", "gsi3sk"), ("gsi4", "pulls", "gsi4sk") })
        {
            table.AddGlobalSecondaryIndex(new GlobalSecondaryIndexProps
            {
                IndexName = name,
                PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = partition, Type = AttributeType.STRING },
                SortKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = sort, Type = AttributeType.STRING },
                ProjectionType = ProjectionType.ALL,
            });
        }

        var artifacts = new Bucket(this, "Artifacts", new BucketProps
        {
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
            LifecycleRules =
            [
                new Amazon.CDK.AWS.S3.LifecycleRule { Id = "expire-artifacts", Prefix = "jobs/", Expiration = Duration.Days(180) },
                new Amazon.CDK.AWS.S3.LifecycleRule { Id = "abort-uploads", AbortIncompleteMultipartUploadAfter = Duration.Days(1) },
            ],
        });

        var environment = new Dictionary<string, string>
        {
            ["CodyBatch__Storage__Provider"] = "DynamoDb",
            ["CodyBatch__Aws__TableName"] = table.TableName,
            ["CodyBatch__Aws__BucketName"] = artifacts.BucketName,
            ["GITHUB_TOKEN"] = githubToken.ValueAsString,
            ["CodyBatch__ApiKeys__0"] = apiKey.ValueAsString,
        };

        // Workers: AWS Batch on Fargate in public subnets (no NAT gateway, nothing running at rest).
        var network = new Vpc(this, "Network", new VpcProps
        {
            MaxAzs = 2,
            NatGateways = 0,
            SubnetConfiguration = [new SubnetConfiguration { Name = "public", SubnetType = SubnetType.PUBLIC }],
        });
        var compute = new FargateComputeEnvironment(this, "Workers", new FargateComputeEnvironmentProps
        {
            Vpc = network,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PUBLIC },
            MaxvCpus = 32,
        });
        var queue = new JobQueue(this, "JobQueue", new JobQueueProps
        {
            ComputeEnvironments = [new OrderedComputeEnvironment { ComputeEnvironment = compute, Order = 1 }],
        });
        var workerLogs = new LogGroup(this, "WorkerLogs", new LogGroupProps { Retention = RetentionDays.ONE_MONTH, RemovalPolicy = RemovalPolicy.DESTROY });
        var jobRole = new Role(this, "WorkerRole", new RoleProps { AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com") });
        table.GrantReadWriteData(jobRole);
        artifacts.GrantReadWrite(jobRole);
        var workerEnvironment = new Dictionary<string, string>(environment) { ["ANTHROPIC_API_KEY"] = anthropicKey.ValueAsString };
        var jobDefinition = new EcsJobDefinition(this, "WorkerJob", new EcsJobDefinitionProps
        {
            Container = new EcsFargateContainerDefinition(this, "WorkerContainer", new EcsFargateContainerDefinitionProps
            {
                Image = WorkerImage(),
                Cpu = 1,
                Memory = Size.Gibibytes(4),
                Command = ["worker", "--job-id", "Ref::jobId"],
                Environment = workerEnvironment,
                JobRole = jobRole,
                AssignPublicIp = true,
                EphemeralStorageSize = Size.Gibibytes(50),
                Logging = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = workerLogs, StreamPrefix = "worker" }),
            }),
            Timeout = Duration.Hours(3),
            RetryAttempts = 3,
            RetryStrategies =
            [
                RetryStrategy.Of(Amazon.CDK.AWS.Batch.Action.RETRY, Reason.CANNOT_PULL_CONTAINER),
                RetryStrategy.Of(Amazon.CDK.AWS.Batch.Action.RETRY, Reason.SPOT_INSTANCE_RECLAIMED),
                RetryStrategy.Of(Amazon.CDK.AWS.Batch.Action.EXIT, Reason.Custom(new CustomReason { OnExitCode = "1" })),
            ],
            Parameters = new Dictionary<string, object> { ["jobId"] = "none" },
        });

        // Dispatch: the table's stream, filtered to new jobs and jobs that got a run queued again, submits one Batch job each.
        var pipeRole = new Role(this, "DispatchRole", new RoleProps { AssumedBy = new ServicePrincipal("pipes.amazonaws.com") });
        table.GrantStreamRead(pipeRole);
        pipeRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["batch:SubmitJob"],
            Resources = [queue.JobQueueArn, jobDefinition.JobDefinitionArn],
        }));
        _ = new CfnPipe(this, "Dispatch", new CfnPipeProps
        {
            RoleArn = pipeRole.RoleArn,
            Source = table.TableStreamArn!,
            SourceParameters = new CfnPipe.PipeSourceParametersProperty
            {
                DynamoDbStreamParameters = new CfnPipe.PipeSourceDynamoDBStreamParametersProperty { StartingPosition = "LATEST", BatchSize = 1 },
                FilterCriteria = new CfnPipe.FilterCriteriaProperty
                {
                    Filters = new object[]
                    {
                        // Only job items start work; webhook delivery records live in the same table.
                        new CfnPipe.FilterProperty { Pattern = """{"eventName":["INSERT"],"dynamodb":{"Keys":{"sk":{"S":["JOB"]}}}}""" },
                        new CfnPipe.FilterProperty { Pattern = """{"eventName":["MODIFY"],"dynamodb":{"NewImage":{"open":{"S":["OPEN"]}},"OldImage":{"open":[{"exists":false}]}}}""" },
                    },
                },
            },
            Target = queue.JobQueueArn,
            TargetParameters = new CfnPipe.PipeTargetParametersProperty
            {
                BatchJobParameters = new CfnPipe.PipeTargetBatchJobParametersProperty
                {
                    JobDefinition = jobDefinition.JobDefinitionArn,
                    JobName = "codybatch-job",
                    Parameters = new Dictionary<string, string> { ["jobId"] = "$.dynamodb.NewImage.gsi1sk.S" },
                },
            },
        });

        // API: the same image on Lambda behind the Lambda Web Adapter, workers off; reached through CloudFront.
        var apiLogs = new LogGroup(this, "ApiLogs", new LogGroupProps { Retention = RetentionDays.ONE_MONTH, RemovalPolicy = RemovalPolicy.DESTROY });
        var api = new DockerImageFunction(this, "Api", new DockerImageFunctionProps
        {
            Code = ApiCode(),
            MemorySize = 1024,
            Timeout = Duration.Seconds(30),
            Architecture = Architecture.X86_64,
            LogGroup = apiLogs,
            Environment = new Dictionary<string, string>(environment)
            {
                ["CodyBatch__Worker__Enabled"] = "false",
                ["AWS_LWA_PORT"] = "8080",
                ["AWS_LWA_READINESS_CHECK_PATH"] = "/health",
            },
        });
        table.GrantReadWriteData(api);
        _ = new ScheduleTrigger(this, "Schedules", api);
        artifacts.GrantRead(api);
        var apiUrl = api.AddFunctionUrl(new FunctionUrlOptions { AuthType = FunctionUrlAuthType.NONE });

        // Web UI: a private bucket behind CloudFront; /api/* goes to the function.
        var web = new Bucket(this, "Web", new BucketProps
        {
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            RemovalPolicy = RemovalPolicy.DESTROY,
            AutoDeleteObjects = true,
        });
        var distribution = new Amazon.CDK.AWS.CloudFront.Distribution(this, "Site", new DistributionProps
        {
            DefaultRootObject = "index.html",
            DefaultBehavior = new BehaviorOptions
            {
                Origin = S3BucketOrigin.WithOriginAccessControl(web),
                ViewerProtocolPolicy = ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            },
            AdditionalBehaviors = new Dictionary<string, IBehaviorOptions>
            {
                ["/api/*"] = new BehaviorOptions
                {
                    Origin = new FunctionUrlOrigin(apiUrl),
                    AllowedMethods = AllowedMethods.ALLOW_ALL,
                    CachePolicy = CachePolicy.CACHING_DISABLED,
                    OriginRequestPolicy = OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                    ViewerProtocolPolicy = ViewerProtocolPolicy.HTTPS_ONLY,
                },
            },
        });
        _ = new BucketDeployment(this, "WebContent", new BucketDeploymentProps
        {
            Sources = [WebSource()],
            DestinationBucket = web,
            Distribution = distribution,
            DistributionPaths = ["/*"],
        });

        _ = new CfnOutput(this, "Url", new CfnOutputProps { Value = $"https://{distribution.DistributionDomainName}" });
        _ = new CfnOutput(this, "TableName", new CfnOutputProps { Value = table.TableName });
        _ = new CfnOutput(this, "ArtifactBucket", new CfnOutputProps { Value = artifacts.BucketName });
    }

    private IRepository? _registry;

    private IRepository? Registry() =>
        _registry ??= Node.TryGetContext(EcrRepositoryContext) is string name ? Repository.FromRepositoryName(this, "Images", name) : null;

    private string Tag() => Node.TryGetContext(ImageTagContext) as string ?? "latest";

    private ContainerImage WorkerImage() =>
        Registry() is { } registry ? ContainerImage.FromEcrRepository(registry, Tag()) : ContainerImage.FromAsset(RepositoryRoot(), new AssetImageProps { Exclude = AssetExcludes });

    private DockerImageCode ApiCode() => Registry() is { } registry
        ? DockerImageCode.FromEcr(registry, new EcrImageCodeProps { TagOrDigest = Tag(), Cmd = ["serve", "--urls", "http://0.0.0.0:8080"] })
        : DockerImageCode.FromImageAsset(RepositoryRoot(), new AssetImageCodeProps { Exclude = AssetExcludes, Cmd = ["serve", "--urls", "http://0.0.0.0:8080"] });

    private ISource WebSource() => Node.TryGetContext(WebDistContext) is string folder && Directory.Exists(folder)
        ? Source.Asset(folder)
        : Source.Data("index.html", "<!doctype html><title>Cody Batch</title><p>The web UI is not built yet; the API is at /api.</p>");

    private static readonly string[] AssetExcludes = ["**/bin", "**/obj", "**/node_modules", ".git", "data", "**/cdk.out", "tests", "bench"];

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CodyBatch.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run the CDK app from the Cody Batch repository: CodyBatch.slnx was not found above it.");
    }
}
