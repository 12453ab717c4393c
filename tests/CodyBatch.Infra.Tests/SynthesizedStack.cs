namespace CodyBatch.Infra.Tests;

/// <summary>The stack synthesized once, offline, with a prebuilt image so no Docker build is needed.</summary>
public class SynthesizedStack
{
    public SynthesizedStack()
        : this(new Dictionary<string, object>())
    {
    }

    protected SynthesizedStack(Dictionary<string, object> context)
    {
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1");
        context[CodyBatchStack.EcrRepositoryContext] = "codybatch";
        context[CodyBatchStack.ImageTagContext] = "test";
        var app = new App(new AppProps { Context = context });
        var stack = new CodyBatchStack(app, "CodyBatch", new StackProps { Env = new Amazon.CDK.Environment { Account = "123456789012", Region = "eu-west-1" } });
        Template = Template.FromStack(stack);
        Json = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Template.ToJSON()))!.AsObject();
    }

    public Template Template { get; }

    /// <summary>The template as JSON, for checks the assertion helpers do not express.</summary>
    public JsonObject Json { get; }

    /// <summary>The resources of one type.</summary>
    public IEnumerable<JsonObject> Resources(string type) => Named(type).Select(r => r.Resource);

    /// <summary>The resources of one type with their logical ids.</summary>
    public IEnumerable<(string Id, JsonObject Resource)> Named(string type) =>
        Json["Resources"]!.AsObject().Select(r => (r.Key, r.Value!.AsObject())).Where(r => r.Item2["Type"]!.GetValue<string>() == type);

    /// <summary>The logical id a <c>Ref</c> or <c>Fn::GetAtt</c> in <paramref name="node"/> points at, or null.</summary>
    public static string? Target(JsonNode? node) => node switch
    {
        JsonObject o when o["Ref"] is { } r => r.GetValue<string>(),
        JsonObject o when o["Fn::GetAtt"] is JsonArray a => a[0]!.GetValue<string>(),
        _ => null,
    };
}

/// <summary>The stack with Claude reached through Amazon Bedrock.</summary>
public sealed class BedrockStack : SynthesizedStack
{
    public const string Model = "claude-sonnet-4-5";
    public const string BedrockModel = "eu.anthropic.claude-sonnet-4-5-20250929-v1:0";

    public BedrockStack()
        : base(new Dictionary<string, object>
        {
            [StackSettings.AgentProviderContext] = "Bedrock",
            [StackSettings.BedrockModelsContext] = $$"""{"{{Model}}":"{{BedrockModel}}","claude-haiku-4-5":"anthropic.claude-haiku-4-5-20251001-v1:0"}""",
        })
    {
    }
}

/// <summary>The stack with every optional setting set: notifications, a registries allow-list, a private registry, telemetry to CloudWatch.</summary>
public sealed class ConfiguredStack : SynthesizedStack
{
    public const string NotificationUrl = "https://hooks.example.com/codybatch";
    public const string SigningParameter = "/codybatch/notify-signing";
    public const string SlackParameter = "/codybatch/notify-slack";
    public const string RegistryTokenParameter = "/codybatch/registries/internal-npm";

    public ConfiguredStack()
        : base(new Dictionary<string, object>
        {
            [StackSettings.NotificationWebhookUrlContext] = NotificationUrl,
            [StackSettings.NotificationSigningSecretParameterContext] = SigningParameter,
            [StackSettings.NotificationSlackParameterContext] = SlackParameter,
            [StackSettings.RegistriesContext] = "registry.npmjs.org, pypi.org,files.pythonhosted.org",
            [StackSettings.PrivateRegistriesContext] = $$"""[{"name":"internal-npm","url":"https://npm.internal.example.com/","ecosystem":"npm","tokenParameter":"{{RegistryTokenParameter}}"}]""",
            [StackSettings.CacheExpiryDaysContext] = "7",
            [StackSettings.TelemetryContext] = "cloudwatch",
        })
    {
    }
}

/// <summary>The stack with the workers on Fargate.</summary>
public sealed class FargateStack : SynthesizedStack
{
    public FargateStack()
        : base(new Dictionary<string, object> { [StackSettings.WorkersContext] = "Fargate" })
    {
    }
}

/// <summary>The stack sending traces and metrics to an OTLP collector the operator runs.</summary>
public sealed class CollectorTelemetryStack : SynthesizedStack
{
    public const string Collector = "http://collector.internal.example.com:4318";

    public CollectorTelemetryStack()
        : base(new Dictionary<string, object> { [StackSettings.TelemetryContext] = Collector })
    {
    }
}
