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
    private readonly Lock _gate = new();
    private RefreshingCredentials? _credentials;

    /// <summary>True when jobs reach Claude through Bedrock.</summary>
    public bool IsSelected => string.Equals(provider.Value.Provider, AgentProviderOptions.Bedrock, StringComparison.OrdinalIgnoreCase);

    /// <summary>A client with <paramref name="handlers"/> outside the model mapping and the Bedrock adaptation; no SDK retries.</summary>
    public AnthropicClient Create(IReadOnlyList<DelegatingHandler> handlers)
    {
        var settings = options.Value;
        var client = new AnthropicBedrockClient(Credentials());
        return (AnthropicClient)client.WithOptions(o => o with
        {
            BaseUrl = string.IsNullOrWhiteSpace(settings.BaseUrl) ? o.BaseUrl : settings.BaseUrl.TrimEnd('/'),
            MaxRetries = 0,
            Timeout = TimeSpan.FromMinutes(10),
            Handlers = [.. handlers, new ModelMapHandler(new Dictionary<string, string>(settings.Models, StringComparer.OrdinalIgnoreCase))],
        });
    }

    /// <summary>
    /// Signs a request without a body for Bedrock's control plane with the credentials jobs use (read again as they age):
    /// SigV4 for an access key, the bearer token for a Bedrock API key.
    /// </summary>
    public async Task SignAsync(HttpRequestMessage request)
    {
        var credentials = await Credentials().CurrentAsync();
        if (credentials is AnthropicBedrockPrivateKeyCredentials key)
        {
            // The package keeps the session token of temporary credentials to itself; it read them from AWS_SESSION_TOKEN.
            var sessionToken = key.ApiAccessKey == Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") ? Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN") : null;
            SigV4Signer.Sign(request, key.ApiAccessKey, key.ApiSecret, sessionToken, key.Region, "bedrock", time.GetUtcNow());
            return;
        }

        await credentials.Apply(request);
    }

    // One set for the process: the runtime client and the model list read and refresh the same credentials.
    private RefreshingCredentials Credentials()
    {
        lock (_gate)
        {
            return _credentials ??= new RefreshingCredentials(
                options.Value.Region!,
                options.Value.CredentialsRefresh,
                resolveCredentials ?? (() => AnthropicBedrockCredentialsHelper.FromEnv()),
                time);
        }
    }

    /// <summary>The Bedrock control plane (the model list): <c>CodyBatch:Agent:Bedrock:ControlPlaneUrl</c>, or the Region's public endpoint.</summary>
    public Uri ControlPlane => new(
        string.IsNullOrWhiteSpace(options.Value.ControlPlaneUrl) ? $"https://bedrock.{options.Value.Region}.amazonaws.com/" : options.Value.ControlPlaneUrl.TrimEnd('/') + "/");
}
