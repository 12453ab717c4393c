namespace CodyBatch.Claude.Bedrock;

/// <summary><c>CodyBatch:Agent:Provider</c>: how Claude is reached, <c>Anthropic</c> (the API, with <c>ANTHROPIC_API_KEY</c>) or <c>Bedrock</c>.</summary>
public sealed class AgentProviderOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Agent";

    /// <summary>The Anthropic API.</summary>
    public const string Anthropic = "Anthropic";

    /// <summary>Amazon Bedrock.</summary>
    public const string Bedrock = "Bedrock";

    /// <summary>Anthropic or Bedrock.</summary>
    public string Provider { get; set; } = Anthropic;

    /// <summary>The sentence that says what is wrong with the provider settings, or null.</summary>
    public static string? Problem(AgentProviderOptions provider, BedrockOptions bedrock)
    {
        if (!string.Equals(provider.Provider, Anthropic, StringComparison.OrdinalIgnoreCase) && !string.Equals(provider.Provider, Bedrock, StringComparison.OrdinalIgnoreCase))
        {
            return $"CodyBatch:Agent:Provider must be Anthropic or Bedrock, not \"{provider.Provider}\".";
        }

        if (!string.Equals(provider.Provider, Bedrock, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(bedrock.Region))
        {
            return "CodyBatch:Agent:Bedrock:Region must name the AWS Region of the Bedrock endpoint (for example eu-west-1) when CodyBatch:Agent:Provider is Bedrock.";
        }

        if (bedrock.Models.Count == 0 || bedrock.Models.Values.Any(string.IsNullOrWhiteSpace))
        {
            return "CodyBatch:Agent:Bedrock:Models must map each model jobs use to a Bedrock model id, such as CodyBatch:Agent:Bedrock:Models:claude-sonnet-4-5 = eu.anthropic.claude-sonnet-4-5-20250929-v1:0.";
        }

        if (bedrock.BaseUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            return $"CodyBatch:Agent:Bedrock:BaseUrl must be an absolute URL, not \"{url}\".";
        }

        if (bedrock.ControlPlaneUrl is { Length: > 0 } controlPlane && !Uri.TryCreate(controlPlane, UriKind.Absolute, out _))
        {
            return $"CodyBatch:Agent:Bedrock:ControlPlaneUrl must be an absolute URL, not \"{controlPlane}\".";
        }

        return bedrock.CredentialsRefresh < TimeSpan.FromMinutes(1) || bedrock.CredentialsRefresh > TimeSpan.FromHours(1)
            ? "CodyBatch:Agent:Bedrock:CredentialsRefresh must be between 1 minute and 1 hour."
            : null;
    }
}
