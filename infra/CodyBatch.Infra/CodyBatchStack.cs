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
public sealed class CodyBatchStack : Stack
{
    /// <summary>Context key: an ECR repository name holding a built image (instead of building the Dockerfile as an asset).</summary>
    public const string EcrRepositoryContext = "codybatch:ecrRepository";

    /// <summary>Context key: the tag of that image.</summary>
    public const string ImageTagContext = "codybatch:imageTag";

    /// <summary>Context key: the folder of the built web UI (web/dist); a placeholder page is deployed without it.</summary>
    public const string WebDistContext = "codybatch:webDist";

    /// <summary>The request header the API behaviour copies the viewer's <c>Authorization</c> into: CloudFront signs the origin request itself.</summary>
    public const string ForwardedAuthorizationHeader = "x-codybatch-authorization";

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

        var environment = new Dictionary<string, string>
        {
            ["CodyBatch__Storage__Provider"] = "DynamoDb",
            ["CodyBatch__Aws__TableName"] = table.TableName,
            ["CodyBatch__Aws__BucketName"] = artifacts.BucketName,
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
        var image = WorkerImage();

        var jobRole = new Role(this, "WorkerRole", new RoleProps { AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com") });
        table.GrantReadWriteData(jobRole);
        artifacts.GrantReadWrite(jobRole);
        var workerEnvironment = new Dictionary<string, string>(environment);
        var workerSecrets = new Dictionary<string, Amazon.CDK.AWS.Batch.Secret> { ["GITHUB_TOKEN"] = Amazon.CDK.AWS.Batch.Secret.FromSsmParameter(githubToken) };
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

        var jobDefinition = new EcsJobDefinition(this, "WorkerJob", new EcsJobDefinitionProps
        {
            Container = new EcsFargateContainerDefinition(this, "WorkerContainer", new EcsFargateContainerDefinitionProps
            {
                Image = image,
                Cpu = 1,
                Memory = Size.Gibibytes(4),
                Command = ["worker", "--job-id", "Ref::jobId"],
                Environment = workerEnvironment,
                Secrets = workerSecrets,
                JobRole = jobRole,
                AssignPublicIp = true,
                EphemeralStorageSize = Size.Gibibytes(50),
                FargateCpuArchitecture = CpuArchitecture.X86_64,
                FargateOperatingSystemFamily = OperatingSystemFamily.LINUX,
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

        var dispatch = new Dispatch(this, "Dispatch", new DispatchProps(table, queue, jobDefinition, image, environment, workerLogs));

        // API: the same image on Lambda behind the Lambda Web Adapter, workers off; reached only through CloudFront
        // (IAM-authenticated function URL, CloudFront signs with origin access control), responses streamed past 6 MB.
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
                ["AWS_LWA_INVOKE_MODE"] = "response_stream",

                // Names of the parameters the API reads at start (not their values).
                ["CodyBatch__Aws__Secrets__0__Key"] = "GITHUB_TOKEN",
                ["CodyBatch__Aws__Secrets__0__Parameter"] = settings.GitHubTokenParameter,
                ["CodyBatch__Aws__Secrets__1__Key"] = "CodyBatch:ApiKeys:0",
                ["CodyBatch__Aws__Secrets__1__Parameter"] = settings.ApiKeyParameter,
            },
        });
        table.GrantReadWriteData(api);
        _ = new ScheduleTrigger(this, "Schedules", api);
        artifacts.GrantRead(api);
        githubToken.GrantRead(api);
        apiKey.GrantRead(api);
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
        _ = new CfnOutput(this, "ArtifactBucket", new CfnOutputProps { Value = artifacts.BucketName });
        _ = new CfnOutput(this, "AlarmTopic", new CfnOutputProps { Value = dispatch.AlarmTopic.TopicArn, Description = "Subscribe to hear about dispatch failures." });
    }

    private Amazon.CDK.AWS.CloudFront.Distribution Site(IFunctionUrl apiUrl)
    {
        // Web UI: a private bucket behind CloudFront; /api/* goes to the function.
        var web = new Bucket(this, "Web", new BucketProps
        {
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            RemovalPolicy = RemovalPolicy.DESTROY,
            AutoDeleteObjects = true,
        });
        var spaFallback = new Amazon.CDK.AWS.CloudFront.Function(this, "SpaFallback", new Amazon.CDK.AWS.CloudFront.FunctionProps
        {
            Code = FunctionCode.FromInline(SpaFallback.Code),
            Runtime = FunctionRuntime.JS_2_0,
            Comment = "Serves index.html for the web UI's client-side routes.",
        });
        var forwardAuthorization = new Amazon.CDK.AWS.CloudFront.Function(this, "ForwardAuthorization", new Amazon.CDK.AWS.CloudFront.FunctionProps
        {
            Code = FunctionCode.FromInline(ForwardAuthorizationCode),
            Runtime = FunctionRuntime.JS_2_0,
            Comment = "Keeps the API key: CloudFront replaces Authorization with its own signature for the function URL.",
        });
        var distribution = new Amazon.CDK.AWS.CloudFront.Distribution(this, "Site", new DistributionProps
        {
            DefaultRootObject = "index.html",
            DefaultBehavior = new BehaviorOptions
            {
                Origin = S3BucketOrigin.WithOriginAccessControl(web),
                ViewerProtocolPolicy = ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                FunctionAssociations = [new FunctionAssociation { Function = spaFallback, EventType = FunctionEventType.VIEWER_REQUEST }],
                ResponseHeadersPolicy = WebHeaders(),
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
                    FunctionAssociations = [new FunctionAssociation { Function = forwardAuthorization, EventType = FunctionEventType.VIEWER_REQUEST }],
                },
            },
        });

        // Origin access control for the function URL (the CDK version here has no helper for a Lambda origin).
        var oac = new CfnOriginAccessControl(this, "ApiOriginAccess", new CfnOriginAccessControlProps
        {
            OriginAccessControlConfig = new CfnOriginAccessControl.OriginAccessControlConfigProperty
            {
                Name = $"{StackName}-api".Length > 64 ? $"{StackName}-api"[..64] : $"{StackName}-api",
                OriginAccessControlOriginType = "lambda",
                SigningBehavior = "always",
                SigningProtocol = "sigv4",
            },
        });
        ((CfnDistribution)distribution.Node.DefaultChild!).AddPropertyOverride("DistributionConfig.Origins.1.OriginAccessControlId", oac.AttrId);

        _ = new BucketDeployment(this, "WebContent", new BucketDeploymentProps
        {
            Sources = [WebSource()],
            DestinationBucket = web,
            Distribution = distribution,
            DistributionPaths = ["/*"],
        });
        return distribution;
    }

    // S3 sends no security headers: CloudFront adds the ones serve sends with the web UI, and HSTS (always HTTPS here).
    private ResponseHeadersPolicy WebHeaders() => new(this, "WebHeaders", new ResponseHeadersPolicyProps
    {
        Comment = "Cody Batch web UI: the security headers and Content-Security-Policy codybatch serve sends.",
        SecurityHeadersBehavior = new ResponseSecurityHeadersBehavior
        {
            ContentSecurityPolicy = new ResponseHeadersContentSecurityPolicy { ContentSecurityPolicy = WebContentSecurityPolicy, Override = true },
            ContentTypeOptions = new ResponseHeadersContentTypeOptions { Override = true },
            FrameOptions = new ResponseHeadersFrameOptions { FrameOption = HeadersFrameOption.DENY, Override = true },
            ReferrerPolicy = new ResponseHeadersReferrerPolicy { ReferrerPolicy = HeadersReferrerPolicy.NO_REFERRER, Override = true },
            StrictTransportSecurity = new ResponseHeadersStrictTransportSecurity { AccessControlMaxAge = Duration.Days(365), IncludeSubdomains = true, Override = true },
        },
        CustomHeadersBehavior = new ResponseCustomHeadersBehavior
        {
            CustomHeaders =
            [
                new ResponseCustomHeader { Header = "Cross-Origin-Opener-Policy", Value = CodyBatch.Security.SecurityHeaderValues.SameOrigin, Override = true },
                new ResponseCustomHeader { Header = "Cross-Origin-Resource-Policy", Value = CodyBatch.Security.SecurityHeaderValues.SameOrigin, Override = true },
                new ResponseCustomHeader { Header = "Permissions-Policy", Value = CodyBatch.Security.SecurityHeaderValues.PermissionsPolicy, Override = true },
            ],
        },
    });

    private const string ForwardAuthorizationCode = $$"""
        function handler(event) {
            var request = event.request;
            var authorization = request.headers['authorization'];
            if (authorization) {
                request.headers['{{ForwardedAuthorizationHeader}}'] = { value: authorization.value };
            }
            return request;
        }
        """;

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

    private IRepository? _registry;

    private IRepository? Registry() =>
        _registry ??= Node.TryGetContext(EcrRepositoryContext) is string name ? Repository.FromRepositoryName(this, "Images", name) : null;

    private string Tag() => Node.TryGetContext(ImageTagContext) as string ?? "latest";

    private Amazon.CDK.AWS.Ecr.Assets.DockerImageAsset? _asset;

    // Built once for linux/amd64 (the platform of Lambda x86_64 and Fargate X86_64), used by every role.
    private Amazon.CDK.AWS.Ecr.Assets.DockerImageAsset Asset() => _asset ??= new Amazon.CDK.AWS.Ecr.Assets.DockerImageAsset(this, "Image", new Amazon.CDK.AWS.Ecr.Assets.DockerImageAssetProps
    {
        Directory = RepositoryRoot(),
        Exclude = AssetExcludes,
        Platform = Amazon.CDK.AWS.Ecr.Assets.Platform_.LINUX_AMD64,
    });

    private ContainerImage WorkerImage() =>
        Registry() is { } registry ? ContainerImage.FromEcrRepository(registry, Tag()) : ContainerImage.FromDockerImageAsset(Asset());

    private DockerImageCode ApiCode() => Registry() is { } registry
        ? DockerImageCode.FromEcr(registry, new EcrImageCodeProps { TagOrDigest = Tag(), Cmd = ["serve", "--urls", "http://0.0.0.0:8080"] })
        : DockerImageCode.FromEcr(Asset().Repository, new EcrImageCodeProps { TagOrDigest = Asset().ImageTag, Cmd = ["serve", "--urls", "http://0.0.0.0:8080"] });

    private ISource WebSource() => Node.TryGetContext(WebDistContext) is string folder && Directory.Exists(folder)
        ? Source.Asset(folder)
        : Source.Data("index.html", "<!doctype html><title>Cody Batch</title><p>The web UI is not built yet; the API is at /api.</p>");

    private static readonly string[] AssetExcludes = ["**/bin", "**/obj", "**/node_modules", ".git", "data", "**/cdk.out", "tests", "bench"];

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
