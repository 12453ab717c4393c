using Anthropic;
using Anthropic.Bedrock;
using Microsoft.Extensions.Options;

namespace CodyBatch.Claude.Bedrock;

/// <summary>
/// Makes the Anthropic client that reaches Claude through Amazon Bedrock (the official <c>Anthropic.Bedrock</c>
/// package: SigV4-signed InvokeModelWithResponseStream, the AWS event stream turned back into the Messages stream),
/// when <c>CodyBatch:Agent:Provider</c> is <c>Bedrock</c>. Credentials come from the AWS default chain unless given.
/// </summary>
public sealed class BedrockClientFactory(
    IOptions<AgentProviderOptions> provider,
    IOptions<BedrockOptions> options,
    TimeProvider time,
    Func<ValueTask<IAnthropicBedrockCredentials?>>? resolveCredentials = null)
{
    /// <summary>True when jobs reach Claude through Bedrock.</summary>
    public bool IsSelected => string.Equals(provider.Value.Provider, AgentProviderOptions.Bedrock, StringComparison.OrdinalIgnoreCase);

    /// <summary>A client with <paramref name="handlers"/> outside the model mapping and the Bedrock adaptation; no SDK retries.</summary>
    public AnthropicClient Create(IReadOnlyList<DelegatingHandler> handlers)
    {
        var settings = options.Value;
        var credentials = new RefreshingCredentials(
            settings.Region!,
            settings.CredentialsRefresh,
            resolveCredentials ?? (() => AnthropicBedrockCredentialsHelper.FromEnv()),
            time);
        var client = new AnthropicBedrockClient(credentials);
        return (AnthropicClient)client.WithOptions(o => o with
        {
            BaseUrl = string.IsNullOrWhiteSpace(settings.BaseUrl) ? o.BaseUrl : settings.BaseUrl.TrimEnd('/'),
            MaxRetries = 0,
            Timeout = TimeSpan.FromMinutes(10),
            Handlers = [.. handlers, new ModelMapHandler(new Dictionary<string, string>(settings.Models, StringComparer.OrdinalIgnoreCase))],
        });
    }
}
