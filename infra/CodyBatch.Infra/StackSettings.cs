using System.Text.Json;
using Constructs;

namespace CodyBatch.Infra;

/// <summary>
/// What an operator chooses at deploy time, from CDK context (<c>cdk deploy -c key=value</c> or cdk.json).
/// Secret values never pass through here: only the names of the SSM SecureString parameters that hold them.
/// </summary>
public sealed record StackSettings
{
    /// <summary>Context key: <c>Anthropic</c> (an API key from SSM) or <c>Bedrock</c> (the worker's task role calls Amazon Bedrock).</summary>
    public const string AgentProviderContext = "codybatch:agentProvider";

    /// <summary>Context key: a JSON object mapping Anthropic model names to Bedrock model or inference-profile ids.</summary>
    public const string BedrockModelsContext = "codybatch:bedrockModels";

    /// <summary>Context key: the SSM SecureString parameter holding the GitHub token.</summary>
    public const string GitHubTokenParameterContext = "codybatch:githubTokenParameter";

    /// <summary>Context key: the SSM SecureString parameter holding the Anthropic API key (provider Anthropic only).</summary>
    public const string AnthropicKeyParameterContext = "codybatch:anthropicApiKeyParameter";

    /// <summary>Context key: the SSM SecureString parameter holding the API key clients send.</summary>
    public const string ApiKeyParameterContext = "codybatch:apiKeyParameter";

    /// <summary>Context key: where the workers run, <c>Ec2</c> (sandboxed checks and shell) or <c>Fargate</c> (neither).</summary>
    public const string WorkersContext = "codybatch:workers";

    /// <summary>Context key: the EC2 instance types of the workers (a JSON array or a comma-separated list).</summary>
    public const string WorkerInstanceTypesContext = "codybatch:workerInstanceTypes";

    /// <summary>Context key: the most vCPUs the workers may use at once.</summary>
    public const string WorkerMaxvCpusContext = "codybatch:workerMaxvCpus";

    /// <summary>Context key: <c>true</c> to run the workers on Spot capacity (a reclaimed worker's runs are picked up again).</summary>
    public const string WorkerSpotContext = "codybatch:workerSpot";

    /// <summary>Context key: the SSM SecureString parameter holding the GitHub webhook secret (read by the API only).</summary>
    public const string WebhookSecretParameterContext = "codybatch:githubWebhookSecretParameter";

    /// <summary>Context key: where job notifications are posted (plain; the API and the workers send them).</summary>
    public const string NotificationWebhookUrlContext = "codybatch:notificationWebhookUrl";

    /// <summary>Context key: the SSM SecureString parameter holding the notification signing secret.</summary>
    public const string NotificationSigningSecretParameterContext = "codybatch:notificationSigningSecretParameter";

    /// <summary>Context key: the SSM SecureString parameter holding a Slack incoming-webhook address.</summary>
    public const string NotificationSlackParameterContext = "codybatch:notificationSlackWebhookParameter";

    /// <summary>Context key: the registry domains setup and the shell may reach (a JSON array or a comma-separated list; workers only).</summary>
    public const string RegistriesContext = "codybatch:registries";

    /// <summary>Context key: a JSON array of private registries, <c>[{"name","url","ecosystem","tokenParameter"}]</c> (workers only).</summary>
    public const string PrivateRegistriesContext = "codybatch:privateRegistries";

    /// <summary>Context key: days a dependency cache is restored after it was saved.</summary>
    public const string CacheExpiryDaysContext = "codybatch:cacheExpiryDays";

    /// <summary>Context key: the largest dependency cache archive saved, in MiB.</summary>
    public const string CacheMaxMbContext = "codybatch:cacheMaxMb";

    /// <summary>
    /// Context key: where traces and metrics go — <c>cloudwatch</c> (CloudWatch's OTLP endpoints: X-Ray for traces,
    /// CloudWatch Metrics for metrics, with the headers from SSM) or the http(s) address of an OTLP/HTTP collector.
    /// Unset: no telemetry is exported.
    /// </summary>
    public const string TelemetryContext = "codybatch:telemetry";

    /// <summary>Context key: the SSM SecureString with the headers for CloudWatch's traces endpoint (<c>Authorization=Bearer …</c>).</summary>
    public const string TelemetryTracesHeadersParameterContext = "codybatch:telemetryTracesHeadersParameter";

    /// <summary>Context key: the SSM SecureString with the headers for CloudWatch's metrics endpoint (<c>Authorization=Bearer …</c>).</summary>
    public const string TelemetryMetricsHeadersParameterContext = "codybatch:telemetryMetricsHeadersParameter";

    /// <summary>The instance types when none are configured: general purpose, 2 to 8 vCPUs.</summary>
    public static readonly IReadOnlyList<string> DefaultWorkerInstanceTypes = ["m6i.large", "m6i.xlarge", "m6i.2xlarge"];

    /// <summary>The Bedrock models when none are configured: the default model of the agent.</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultBedrockModels = new Dictionary<string, string>
    {
        ["claude-sonnet-4-5"] = "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    };

    /// <summary>True when Claude is reached through Amazon Bedrock.</summary>
    public bool UsesBedrock { get; init; }

    /// <summary>Anthropic model name to Bedrock model id.</summary>
    public IReadOnlyDictionary<string, string> BedrockModels { get; init; } = DefaultBedrockModels;

    /// <summary>Name of the GitHub token parameter.</summary>
    public string GitHubTokenParameter { get; init; } = "/codybatch/github-token";

    /// <summary>Name of the Anthropic API key parameter.</summary>
    public string AnthropicKeyParameter { get; init; } = "/codybatch/anthropic-api-key";

    /// <summary>Name of the API key parameter.</summary>
    public string ApiKeyParameter { get; init; } = "/codybatch/api-key";

    /// <summary>Where the workers run.</summary>
    public WorkerPlatform Workers { get; init; } = WorkerPlatform.Ec2;

    /// <summary>The workers' EC2 instance types.</summary>
    public IReadOnlyList<string> WorkerInstanceTypes { get; init; } = DefaultWorkerInstanceTypes;

    /// <summary>The most vCPUs the workers use at once.</summary>
    public int WorkerMaxvCpus { get; init; } = 32;

    /// <summary>Whether the workers run on Spot capacity.</summary>
    public bool WorkerSpot { get; init; }

    /// <summary>Name of the GitHub webhook secret parameter.</summary>
    public string WebhookSecretParameter { get; init; } = "/codybatch/github-webhook-secret";

    /// <summary>Where job notifications are posted; none when null.</summary>
    public string? NotificationWebhookUrl { get; init; }

    /// <summary>Name of the notification signing secret parameter; required with <see cref="NotificationWebhookUrl"/>.</summary>
    public string? NotificationSigningSecretParameter { get; init; }

    /// <summary>Name of the parameter holding a Slack incoming-webhook address; none when null.</summary>
    public string? NotificationSlackParameter { get; init; }

    /// <summary>True when the deployment sends job notifications.</summary>
    public bool Notifies => NotificationWebhookUrl is not null || NotificationSlackParameter is not null;

    /// <summary>The registry domains setup and the shell may reach; the product's default list when null.</summary>
    public IReadOnlyList<string>? Registries { get; init; }

    /// <summary>Private registries and the parameters of their tokens.</summary>
    public IReadOnlyList<PrivateRegistry> PrivateRegistries { get; init; } = [];

    /// <summary>Days a dependency cache is restored after it was saved; the bucket deletes it a day later.</summary>
    public int CacheExpiryDays { get; init; } = 14;

    /// <summary>The largest dependency cache archive saved, in MiB.</summary>
    public int CacheMaxMb { get; init; } = 2_048;

    /// <summary>True when traces and metrics go to CloudWatch's OTLP endpoints.</summary>
    public bool TelemetryToCloudWatch { get; init; }

    /// <summary>The OTLP/HTTP collector traces and metrics go to, when not CloudWatch's endpoints; null for none.</summary>
    public string? TelemetryCollector { get; init; }

    /// <summary>The SSM parameter with the traces endpoint's headers (CloudWatch only).</summary>
    public string TelemetryTracesHeadersParameter { get; init; } = "/codybatch/otlp-traces-headers";

    /// <summary>The SSM parameter with the metrics endpoint's headers (CloudWatch only).</summary>
    public string TelemetryMetricsHeadersParameter { get; init; } = "/codybatch/otlp-metrics-headers";

    /// <summary>Reads the settings from the construct tree's context; a bad value stops the synthesis with a sentence naming the key.</summary>
    public static StackSettings From(Node node)
    {
        var provider = node.TryGetContext(AgentProviderContext) as string ?? "Anthropic";
        if (provider is not ("Anthropic" or "Bedrock"))
        {
            throw new ArgumentException($"Context {AgentProviderContext} must be Anthropic or Bedrock, not \"{provider}\".");
        }

        var models = DefaultBedrockModels;
        if (node.TryGetContext(BedrockModelsContext) is { } configured)
        {
            try
            {
                models = configured as string is { } text
                    ? JsonSerializer.Deserialize<Dictionary<string, string>>(text)!
                    : JsonSerializer.Deserialize<Dictionary<string, string>>(JsonSerializer.Serialize(configured))!;
            }
            catch (JsonException e)
            {
                throw new ArgumentException($"Context {BedrockModelsContext} must be a JSON object of model name to Bedrock model id, such as {{\"claude-sonnet-4-5\":\"us.anthropic.claude-sonnet-4-5-20250929-v1:0\"}}.", e);
            }

            if (models.Count == 0)
            {
                throw new ArgumentException($"Context {BedrockModelsContext} names no model; map at least the agent's default model.");
            }
        }

        var workers = node.TryGetContext(WorkersContext) as string ?? "Ec2";
        if (!Enum.TryParse<WorkerPlatform>(workers, ignoreCase: true, out var platform) || !Enum.IsDefined(platform))
        {
            throw new ArgumentException($"Context {WorkersContext} must be Ec2 or Fargate, not \"{workers}\".");
        }

        var notificationUrl = node.TryGetContext(NotificationWebhookUrlContext) as string;
        var signingParameter = node.TryGetContext(NotificationSigningSecretParameterContext) as string;
        if (notificationUrl is not null)
        {
            if (!Uri.TryCreate(notificationUrl, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"Context {NotificationWebhookUrlContext} must be an absolute http or https address.");
            }

            signingParameter ??= "/codybatch/notification-signing-secret";
        }

        var telemetry = (node.TryGetContext(TelemetryContext) as string)?.Trim();
        var toCloudWatch = string.Equals(telemetry, "cloudwatch", StringComparison.OrdinalIgnoreCase);
        if (!string.IsNullOrEmpty(telemetry) && !toCloudWatch
            && (!Uri.TryCreate(telemetry, UriKind.Absolute, out var collector) || collector.Scheme is not ("http" or "https")))
        {
            throw new ArgumentException($"Context {TelemetryContext} must be cloudwatch or the http or https address of an OTLP/HTTP collector (such as http://collector.internal:4318), not \"{telemetry}\".");
        }

        return new StackSettings
        {
            TelemetryToCloudWatch = toCloudWatch,
            TelemetryCollector = string.IsNullOrEmpty(telemetry) || toCloudWatch ? null : telemetry,
            TelemetryTracesHeadersParameter = node.TryGetContext(TelemetryTracesHeadersParameterContext) as string ?? "/codybatch/otlp-traces-headers",
            TelemetryMetricsHeadersParameter = node.TryGetContext(TelemetryMetricsHeadersParameterContext) as string ?? "/codybatch/otlp-metrics-headers",
            Workers = platform,
            WorkerInstanceTypes = List(node, WorkerInstanceTypesContext) ?? DefaultWorkerInstanceTypes,
            WorkerMaxvCpus = Number(node, WorkerMaxvCpusContext, 32, 2, 10_000),
            WorkerSpot = node.TryGetContext(WorkerSpotContext) is true or "true",
            WebhookSecretParameter = node.TryGetContext(WebhookSecretParameterContext) as string ?? "/codybatch/github-webhook-secret",
            NotificationWebhookUrl = notificationUrl,
            NotificationSigningSecretParameter = signingParameter,
            NotificationSlackParameter = node.TryGetContext(NotificationSlackParameterContext) as string,
            Registries = List(node, RegistriesContext),
            PrivateRegistries = PrivateRegistriesFrom(node),
            CacheExpiryDays = Number(node, CacheExpiryDaysContext, 14, 1, 365),
            CacheMaxMb = Number(node, CacheMaxMbContext, 2_048, 16, 50_000),
            UsesBedrock = provider == "Bedrock",
            BedrockModels = models,
            GitHubTokenParameter = node.TryGetContext(GitHubTokenParameterContext) as string ?? "/codybatch/github-token",
            AnthropicKeyParameter = node.TryGetContext(AnthropicKeyParameterContext) as string ?? "/codybatch/anthropic-api-key",
            ApiKeyParameter = node.TryGetContext(ApiKeyParameterContext) as string ?? "/codybatch/api-key",
        };
    }

    private static List<string>? List(Node node, string key) => node.TryGetContext(key) switch
    {
        null => null,
        string text when text.TrimStart().StartsWith('[') => Json<List<string>>(text, key, "a JSON array of strings"),
        string text => [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        var other => Json<List<string>>(JsonSerializer.Serialize(other), key, "a JSON array of strings"),
    };

    private static int Number(Node node, string key, int fallback, int min, int max)
    {
        var value = node.TryGetContext(key) switch
        {
            null => fallback,
            string text when int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
            var other when int.TryParse(Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
            _ => int.MinValue,
        };
        return value >= min && value <= max ? value : throw new ArgumentException($"Context {key} must be a whole number from {min} to {max}.");
    }

    private static List<PrivateRegistry> PrivateRegistriesFrom(Node node)
    {
        var raw = node.TryGetContext(PrivateRegistriesContext);
        if (raw is null)
        {
            return [];
        }

        const string Shape = "a JSON array of {\"name\",\"url\",\"ecosystem\",\"tokenParameter\"}";
        var registries = Json<List<PrivateRegistry>>(raw as string ?? JsonSerializer.Serialize(raw), PrivateRegistriesContext, Shape);
        foreach (var registry in registries)
        {
            if (string.IsNullOrWhiteSpace(registry.Name) || string.IsNullOrWhiteSpace(registry.Ecosystem) || string.IsNullOrWhiteSpace(registry.TokenParameter)
                || !Uri.TryCreate(registry.Url, UriKind.Absolute, out var url) || url.Scheme != "https")
            {
                throw new ArgumentException($"Context {PrivateRegistriesContext} must be {Shape}, each with an https url and the name of the SSM parameter holding its token.");
            }
        }

        return registries;
    }

    private static T Json<T>(string text, string key, string shape)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, new JsonSerializerOptions(JsonSerializerDefaults.Web)) ?? throw new JsonException();
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Context {key} must be {shape}.", e);
        }
    }
}
