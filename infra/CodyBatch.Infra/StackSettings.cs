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

        return new StackSettings
        {
            UsesBedrock = provider == "Bedrock",
            BedrockModels = models,
            GitHubTokenParameter = node.TryGetContext(GitHubTokenParameterContext) as string ?? "/codybatch/github-token",
            AnthropicKeyParameter = node.TryGetContext(AnthropicKeyParameterContext) as string ?? "/codybatch/anthropic-api-key",
            ApiKeyParameter = node.TryGetContext(ApiKeyParameterContext) as string ?? "/codybatch/api-key",
        };
    }
}
