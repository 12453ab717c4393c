using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.Ecr.Assets;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.Lambda;
using Constructs;

namespace CodyBatch.Infra;

/// <summary>
/// The two images of the Dockerfile: <c>api</c> (the .NET runtime only, small, for the Lambda function and the sweep) and
/// <c>worker</c> (the .NET SDK, bubblewrap and the toolchains checks and setup run with). Built as assets for linux/amd64,
/// or taken from an ECR repository: <c>TAG</c> for the API and <c>TAG-worker</c> for the workers.
/// </summary>
internal sealed class Images(Construct scope, string? repositoryName, string tag)
{
    /// <summary>The suffix of the worker image's tag in an ECR repository.</summary>
    public const string WorkerTagSuffix = "-worker";

    private static readonly string[] AssetExcludes = ["**/bin", "**/obj", "**/node_modules", ".git", "data", "**/cdk.out", "tests", "bench"];

    private IRepository? _registry;
    private DockerImageAsset? _api;
    private DockerImageAsset? _worker;

    private IRepository? Registry() =>
        _registry ??= repositoryName is { } name ? Repository.FromRepositoryName(scope, "Images", name) : null;

    public ContainerImage Worker() => Registry() is { } registry
        ? ContainerImage.FromEcrRepository(registry, tag + WorkerTagSuffix)
        : ContainerImage.FromDockerImageAsset(_worker ??= Asset("WorkerImage", "worker"));

    public ContainerImage ApiContainer() => Registry() is { } registry
        ? ContainerImage.FromEcrRepository(registry, tag)
        : ContainerImage.FromDockerImageAsset(ApiAsset());

    public DockerImageCode ApiCode(string[] command) => Registry() is { } registry
        ? DockerImageCode.FromEcr(registry, new EcrImageCodeProps { TagOrDigest = tag, Cmd = command })
        : DockerImageCode.FromEcr(ApiAsset().Repository, new EcrImageCodeProps { TagOrDigest = ApiAsset().ImageTag, Cmd = command });

    private DockerImageAsset ApiAsset() => _api ??= Asset("Image", "api");

    // Built for linux/amd64 (the platform of Lambda x86_64, Fargate X86_64 and the workers' instance types) on any build machine.
    private DockerImageAsset Asset(string id, string target) => new(scope, id, new DockerImageAssetProps
    {
        Directory = CodyBatchStack.RepositoryRoot(),
        Exclude = AssetExcludes,
        Target = target,
        Platform = Platform_.LINUX_AMD64,
    });
}
