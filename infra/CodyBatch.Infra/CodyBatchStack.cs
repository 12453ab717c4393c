using Amazon.CDK;
using Amazon.CDK.AWS.Batch;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.S3.Deployment;
using Amazon.CDK.AWS.SSM;
using Constructs;

namespace CodyBatch.Infra;

/// <summary>
/// Cody Batch on AWS. One container image serves every role: <c>codybatch serve</c> on Lambda (behind
/// the Lambda Web Adapter, workers off), <c>codybatch worker --job-id</c> and <c>codybatch sweep</c> on AWS
/// Batch (Fargate). Jobs live in DynamoDB; its stream feeds an EventBridge Pipe that submits a Batch job
/// whenever a job is created, reopened by a retry, or marked by the reconciler (see <see cref="Dispatch"/>).
/// </summary>
public sealed partial class CodyBatchStack : Stack
{
    /// <summary>Context key: an ECR repository name holding a built image (instead of building the Dockerfile as an asset).</summary>
    public const string EcrRepositoryContext = "codybatch:ecrRepository";

    /// <summary>Context key: the tag of that image.</summary>
    public const string ImageTagContext = "codybatch:imageTag";

    /// <summary>Context key: the folder of the built web UI (web/dist); a placeholder page is deployed without it.</summary>
    public const string WebDistContext = "codybatch:webDist";

    /// <summary>The request header the API behaviour copies the viewer's <c>Authorization</c> into: CloudFront signs the origin request itself.</summary>
    public const string ForwardedAuthorizationHeader = "x-codybatch-authorization";

    /// <summary>Where the dependency caches live in their bucket; the lifecycle rule and the workers' grant cover only it.</summary>
    public const string CachePrefix = "caches/";

    /// <summary>The web UI's Content-Security-Policy at CloudFront: the one <c>serve</c> sends.</summary>
    public const string WebContentSecurityPolicy = CodyBatch.Security.SecurityHeaderValues.UiPolicy;

    public CodyBatchStack(Construct scope, string id, IStackProps? props = null)
        : base(scope, id, props)
    {
        var settings = StackSettings.From(Node);

        // Secrets: SSM SecureString parameters the operator creates before the first deploy (CloudFormation cannot create them).
        // Only their names are in the template; values reach a process at its start and never an environment variable of the definition.
        var githubToken = StringParameter.FromSecureStringParameterAttributes(this, "GitHubTokenSecret", new SecureStringParameterAttributes { ParameterName = settings.GitHubTokenParameter });
        var apiKey = StringParameter.FromSecureStringParameterAttributes(this, "ApiKeySecret", new SecureStringParameterAttributes { ParameterName = settings.ApiKeyParameter });

        // State: one table (see DynamoDbJobStore for the access patterns), streamed for dispatch. Index keys are sharded and
        // the indexes hold keys only (plus the bounded search text), so a lease renewal writes no index at all.
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
        table.AddGlobalSecondaryIndex(Index("gsi1", "gsi1pk", "gsi1sk", "search"));
        table.AddGlobalSecondaryIndex(Index("gsi2", "gsi2pk", "gsi2sk", "search"));
        table.AddGlobalSecondaryIndex(Index("gsi3", "openShard", "gsi3sk"));
        table.AddGlobalSecondaryIndex(Index("gsi4", "pulls", "gsi4sk"));

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

        // Dependency caches (package-manager caches keyed by repository, ecosystem and lock-file hash): the workers restore
        // one before setup and save it after; a cache older than the expiry is not restored, and the bucket deletes it a day later.
        var caches = new Bucket(this, "DependencyCaches", new BucketProps
        {
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            RemovalPolicy = RemovalPolicy.DESTROY,
            AutoDeleteObjects = true,
            LifecycleRules =
            [
                new Amazon.CDK.AWS.S3.LifecycleRule { Id = "expire-caches", Prefix = CachePrefix, Expiration = Duration.Days(settings.CacheExpiryDays + 1) },
                new Amazon.CDK.AWS.S3.LifecycleRule { Id = "abort-uploads", AbortIncompleteMultipartUploadAfter = Duration.Days(1) },
            ],
        });

        var environment = new Dictionary<string, string>
        {
            ["CodyBatch__Storage__Provider"] = "DynamoDb",
            ["CodyBatch__Aws__TableName"] = table.TableName,
            ["CodyBatch__Aws__BucketName"] = artifacts.BucketName,
        };
        var notify = new SettingsWiring(this, settings);

        // Workers: AWS Batch in public subnets (no NAT gateway, nothing running at rest).
        var network = new Vpc(this, "Network", new VpcProps
        {
            MaxAzs = 2,
            NatGateways = 0,
            SubnetConfiguration = [new SubnetConfiguration { Name = "public", SubnetType = SubnetType.PUBLIC }],
        });
        var workerLogs = new LogGroup(this, "WorkerLogs", new LogGroupProps { Retention = RetentionDays.ONE_MONTH, RemovalPolicy = RemovalPolicy.DESTROY });

        var jobRole = new Role(this, "WorkerRole", new RoleProps { AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com") });
        table.GrantReadWriteData(jobRole);
        artifacts.GrantReadWrite(jobRole);
        caches.GrantReadWrite(jobRole, $"{CachePrefix}*");
        var workerEnvironment = new Dictionary<string, string>(environment)
        {
            ["CodyBatch__Aws__Caches__BucketName"] = caches.BucketName,
            ["CodyBatch__Aws__Caches__Prefix"] = CachePrefix,
            ["CodyBatch__Aws__Caches__Expiry"] = $"{settings.CacheExpiryDays}.00:00:00",
            ["CodyBatch__Aws__Caches__MaxArchiveMb"] = settings.CacheMaxMb.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (settings.Workers == WorkerPlatform.Fargate)
        {
            // No sandbox on Fargate: say so once instead of probing for bubblewrap on every run.
            workerEnvironment["CodyBatch__Checks__Enabled"] = "false";
        }

        var workerSecrets = new Dictionary<string, Amazon.CDK.AWS.Batch.Secret> { ["GITHUB_TOKEN"] = Amazon.CDK.AWS.Batch.Secret.FromSsmParameter(githubToken) };
        notify.AddNotifications(workerEnvironment, workerSecrets);
        notify.AddTelemetry(workerEnvironment, workerSecrets);
        notify.AddRegistries(workerEnvironment, workerSecrets);
        if (settings.UsesBedrock)
        {
            // The task role calls Bedrock: no Anthropic key exists anywhere in the deployment.
            workerEnvironment["CodyBatch__Agent__Provider"] = "Bedrock";
            workerEnvironment["CodyBatch__Agent__Bedrock__Region"] = Region;
            foreach (var (model, bedrockId) in settings.BedrockModels)
            {
                workerEnvironment[$"CodyBatch__Agent__Bedrock__Models__{model}"] = bedrockId;
            }

            jobRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Actions = ["bedrock:InvokeModelWithResponseStream"],
                Resources = [.. settings.BedrockModels.Values.SelectMany(BedrockResources).Distinct()],
            }));
        }
        else
        {
            var anthropicKey = StringParameter.FromSecureStringParameterAttributes(this, "AnthropicApiKeySecret", new SecureStringParameterAttributes { ParameterName = settings.AnthropicKeyParameter });
            workerSecrets["ANTHROPIC_API_KEY"] = Amazon.CDK.AWS.Batch.Secret.FromSsmParameter(anthropicKey);
        }

        var workers = new Workers(this, "Workers", new WorkersProps(settings, network, WorkerImage(), workerEnvironment, workerSecrets, jobRole, workerLogs));

        // The sweep is a small Fargate job whatever the workers run on (a queue cannot mix EC2 and Fargate).
        var sweepQueue = workers.Platform == WorkerPlatform.Fargate
            ? workers.Queue
            : new JobQueue(this, "SweepQueue", new JobQueueProps
            {
                ComputeEnvironments =
                [
                    new OrderedComputeEnvironment
                    {
                        ComputeEnvironment = new FargateComputeEnvironment(this, "SweepCompute", new FargateComputeEnvironmentProps
                        {
                            Vpc = network,
                            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PUBLIC },
                            MaxvCpus = 4,
                        }),
                        Order = 1,
                    },
                ],
            });
        var sweepEnvironment = new Dictionary<string, string>(environment);
        var sweepSecrets = new Dictionary<string, Amazon.CDK.AWS.Batch.Secret>();
        notify.AddNotifications(sweepEnvironment, sweepSecrets);
        notify.AddTelemetry(sweepEnvironment, sweepSecrets);

        var dispatch = new Dispatch(this, "Dispatch", new DispatchProps(table, workers.Queue, workers.Job, ApiImage(), sweepEnvironment, workerLogs, sweepQueue, sweepSecrets));

        // API: the same image on Lambda behind the Lambda Web Adapter, workers off; reached only through CloudFront
        // (IAM-authenticated function URL, CloudFront signs with origin access control), responses streamed past 6 MB.
        var apiLogs = new LogGroup(this, "ApiLogs", new LogGroupProps { Retention = RetentionDays.ONE_MONTH, RemovalPolicy = RemovalPolicy.DESTROY });
        var apiSecrets = new List<(string Key, string Parameter)>
        {
            ("GITHUB_TOKEN", settings.GitHubTokenParameter),
            ("CodyBatch:ApiKeys:0", settings.ApiKeyParameter),
            ("CodyBatch:GitHub:WebhookSecret", settings.WebhookSecretParameter),
        };
        var apiEnvironment = new Dictionary<string, string>(environment)
        {
            ["CodyBatch__Worker__Enabled"] = "false",
            ["AWS_LWA_PORT"] = "8080",
            ["AWS_LWA_READINESS_CHECK_PATH"] = "/health",
            ["AWS_LWA_INVOKE_MODE"] = "response_stream",

            // Cold start (see docs/benchmarks.md): no tiered PGO instrumentation at start, no file watcher on the
            // image's appsettings (they never change in a function), and workstation GC: the Web SDK makes the app
            // server GC, whose per-core heaps and GC threads cost 7-19 ms of a start (paired starts) and buy nothing
            // in a function that serves one request at a time.
            ["DOTNET_TieredPGO"] = "0",
            ["DOTNET_hostBuilder__reloadConfigOnChange"] = "false",
            ["DOTNET_gcServer"] = "0",
        };
        if (settings.UsesBedrock)
        {
            // The model list (GET /api/models) is Bedrock's under the names jobs use: the API needs the same mapping.
            foreach (var (name, value) in workerEnvironment.Where(e => e.Key.StartsWith("CodyBatch__Agent__", StringComparison.Ordinal)))
            {
                apiEnvironment[name] = value;
            }
        }

        // The API ends a job itself when it cancels one whose runs were all still queued: it notifies too.
        notify.AddNotifications(apiEnvironment, apiSecrets);
        notify.AddTelemetry(apiEnvironment, apiSecrets);
        for (var i = 0; i < apiSecrets.Count; i++)
        {
            // Names of the parameters the API reads at start (not their values).
            apiEnvironment[$"CodyBatch__Aws__Secrets__{i}__Key"] = apiSecrets[i].Key;
            apiEnvironment[$"CodyBatch__Aws__Secrets__{i}__Parameter"] = apiSecrets[i].Parameter;
        }

        var api = new DockerImageFunction(this, "Api", new DockerImageFunctionProps
        {
            Code = ApiCode(),
            MemorySize = 1024,
            Timeout = Duration.Seconds(30),
            Architecture = Architecture.X86_64,
            LogGroup = apiLogs,
            Environment = apiEnvironment,
        });
        table.GrantReadWriteData(api);
        if (settings.UsesBedrock)
        {
            // ListFoundationModels has no resource-level permissions: "*" is the only resource it takes. The API calls no model.
            api.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps { Actions = ["bedrock:ListFoundationModels"], Resources = ["*"] }));
        }

        _ = new ScheduleTrigger(this, "Schedules", api);
        artifacts.GrantRead(api);
        githubToken.GrantRead(api);
        apiKey.GrantRead(api);
        StringParameter.FromSecureStringParameterAttributes(this, "WebhookSecret", new SecureStringParameterAttributes { ParameterName = settings.WebhookSecretParameter }).GrantRead(api);
        notify.GrantNotificationSecrets(api);
        notify.GrantTelemetrySecrets(api);
        var apiUrl = api.AddFunctionUrl(new FunctionUrlOptions { AuthType = FunctionUrlAuthType.AWS_IAM, InvokeMode = InvokeMode.RESPONSE_STREAM });

        var distribution = Site(apiUrl);
        var distributionArn = FormatArn(new ArnComponents { Service = "cloudfront", Region = string.Empty, Resource = "distribution", ResourceName = distribution.DistributionId });

        // Function URLs created since October 2025 need both actions for the caller; only this distribution may call.
        _ = new CfnPermission(this, "CloudFrontInvokeUrl", new CfnPermissionProps
        {
            Action = "lambda:InvokeFunctionUrl",
            FunctionName = api.FunctionArn,
            Principal = "cloudfront.amazonaws.com",
            SourceArn = distributionArn,
            FunctionUrlAuthType = "AWS_IAM",
        });
        _ = new CfnPermission(this, "CloudFrontInvoke", new CfnPermissionProps
        {
            Action = "lambda:InvokeFunction",
            FunctionName = api.FunctionArn,
            Principal = "cloudfront.amazonaws.com",
            SourceArn = distributionArn,
        });

        Aspects.Of(this).Add(new RuntimeUpgrade());

        _ = new CfnOutput(this, "Url", new CfnOutputProps { Value = $"https://{distribution.DistributionDomainName}" });
        _ = new CfnOutput(this, "TableName", new CfnOutputProps { Value = table.TableName });
        _ = new CfnOutput(this, "CacheBucket", new CfnOutputProps { Value = caches.BucketName });
        _ = new CfnOutput(this, "ArtifactBucket", new CfnOutputProps { Value = artifacts.BucketName });
        _ = new CfnOutput(this, "AlarmTopic", new CfnOutputProps { Value = dispatch.AlarmTopic.TopicArn, Description = "Subscribe to hear about dispatch failures." });
    }

    private static GlobalSecondaryIndexProps Index(string name, string partition, string sort, params string[] include) => new()
    {
        IndexName = name,
        PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = partition, Type = AttributeType.STRING },
        SortKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = sort, Type = AttributeType.STRING },
        ProjectionType = include.Length == 0 ? ProjectionType.KEYS_ONLY : ProjectionType.INCLUDE,
        NonKeyAttributes = include.Length == 0 ? null : include,
    };

    // A model id, or a cross-Region inference profile (us./eu./apac./global.) with the models it routes to in any Region.
    private IEnumerable<string> BedrockResources(string modelId)
    {
        var parts = modelId.Split('.', 2);
        if (parts.Length == 2 && parts[0] is "us" or "eu" or "apac" or "global" or "us-gov" or "jp" or "au" or "ca")
        {
            yield return $"arn:{Partition}:bedrock:{Region}:{Account}:inference-profile/{modelId}";
            yield return $"arn:{Partition}:bedrock:*::foundation-model/{parts[1]}";
        }
        else
        {
            yield return $"arn:{Partition}:bedrock:{Region}::foundation-model/{modelId}";
        }
    }

    private Images? _images;

    private Images Images => _images ??= new Images(this, Node.TryGetContext(EcrRepositoryContext) as string, Node.TryGetContext(ImageTagContext) as string ?? "latest");

    private ContainerImage WorkerImage() => Images.Worker();

    private ContainerImage ApiImage() => Images.ApiContainer();

    private DockerImageCode ApiCode() => Images.ApiCode(["serve", "--urls", "http://0.0.0.0:8080"]);

    private ISource WebSource() => Node.TryGetContext(WebDistContext) is string folder && Directory.Exists(folder)
        ? Source.Asset(folder)
        : Source.Data("index.html", "<!doctype html><title>Cody Batch</title><p>The web UI is not built yet; the API is at /api.</p>");

    internal static string RepositoryRoot()
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
