using Anthropic.Bedrock;
using CodyBatch.Core.Runs;

namespace CodyBatch.Claude.Bedrock;

/// <summary>
/// AWS credentials for Bedrock, read again every <see cref="BedrockOptions.CredentialsRefresh"/>: the package's helper
/// reads them once, and a task role's temporary credentials expire while a long run goes on.
/// </summary>
internal sealed class RefreshingCredentials(
    string region, TimeSpan refresh, Func<ValueTask<IAnthropicBedrockCredentials?>> resolve, TimeProvider time) : IAnthropicBedrockCredentials
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IAnthropicBedrockCredentials? _current;
    private DateTimeOffset _readAt;

    public string Region => region;

    public async Task Apply(HttpRequestMessage requestMessage)
    {
        var credentials = await CurrentAsync();
        await credentials.Apply(requestMessage);
    }

    /// <summary>The credentials as last read (read again when they have aged past the refresh).</summary>
    public async Task<IAnthropicBedrockCredentials> CurrentAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_current is null || time.GetUtcNow() - _readAt >= refresh)
            {
                var resolved = await resolve()
                    ?? throw new RunFailedException("No AWS credentials were found for Amazon Bedrock; run with a role (the task role on AWS Batch) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.");
                if (!string.Equals(resolved.Region, region, StringComparison.Ordinal))
                {
                    throw new RunFailedException(
                        $"The AWS credentials are for Region {resolved.Region} (AWS_REGION) but CodyBatch:Agent:Bedrock:Region is {region}; set both to the Region of the Bedrock endpoint.");
                }

                (_current, _readAt) = (resolved, time.GetUtcNow());
            }

            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }
}
