using Anthropic;
using Anthropic.Core;
using CodyBatch.Claude.Bedrock;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Configuration;

namespace CodyBatch.Claude.Messages;

/// <summary>
/// The Anthropic client of this process, made on first use from <c>ANTHROPIC_API_KEY</c> and
/// <c>ANTHROPIC_BASE_URL</c> (the SDK's own variables). The SDK's retries are off: the agent
/// retries itself, honouring <c>retry-after</c> beyond what the SDK would.
/// </summary>
public sealed class ClaudeClientFactory(IConfiguration configuration, BedrockClientFactory? bedrock = null) : IDisposable
{
    private readonly Lock _gate = new();
    private AnthropicClient? _client;

    /// <summary>The client; a run fails with a sentence when no API key is configured.</summary>
    public IAnthropicClient Get()
    {
        lock (_gate)
        {
            if (_client is not null)
            {
                return _client;
            }

            if (bedrock is { IsSelected: true })
            {
                // Claude through Amazon Bedrock: AWS credentials instead of an API key (see Bedrock/).
                _client = bedrock.Create([new ResponseHeaders.Capture()]);
                return _client;
            }

            var key = configuration["ANTHROPIC_API_KEY"];
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new RunFailedException("ANTHROPIC_API_KEY is not set, so Claude cannot be reached; set it in the environment of the process that runs jobs.");
            }

            var baseUrl = configuration["ANTHROPIC_BASE_URL"];
            _client = new AnthropicClient(new ClientOptions
            {
                ApiKey = key,
                BaseUrl = string.IsNullOrWhiteSpace(baseUrl) ? "https://api.anthropic.com" : baseUrl.TrimEnd('/'),
                MaxRetries = 0,
                Timeout = TimeSpan.FromMinutes(10),
                Handlers = [new ResponseHeaders.Capture()],
            });
            return _client;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client?.Dispose();
}
