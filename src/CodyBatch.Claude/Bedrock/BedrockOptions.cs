namespace CodyBatch.Claude.Bedrock;

/// <summary>
/// Settings under <c>CodyBatch:Agent:Bedrock</c>, used when <c>CodyBatch:Agent:Provider</c> is <c>Bedrock</c>: Claude is
/// reached through Amazon Bedrock's InvokeModelWithResponseStream with the process's AWS credentials (on AWS Batch,
/// the job's task role), so no Anthropic API key is needed. Prices stay under <c>CodyBatch:Agent:Prices</c>, keyed by
/// the Anthropic model name a job names.
/// </summary>
public sealed class BedrockOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Agent:Bedrock";

    /// <summary>The AWS Region whose Bedrock endpoint is called (for example <c>eu-west-1</c>).</summary>
    public string? Region { get; set; }

    /// <summary>
    /// Anthropic model name (what a job asks for, such as <c>claude-sonnet-4-5</c>) to Bedrock model id or inference
    /// profile (such as <c>eu.anthropic.claude-sonnet-4-5-20250929-v1:0</c>). A job whose model is not here fails with a sentence.
    /// </summary>
    public Dictionary<string, string> Models { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Another Bedrock runtime endpoint (a VPC endpoint, or a test server); the Region's public endpoint when empty.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>
    /// Another Bedrock control-plane endpoint, where the model list (ListFoundationModels) is read; the Region's
    /// <c>https://bedrock.{Region}.amazonaws.com</c> when empty.
    /// </summary>
    public string? ControlPlaneUrl { get; set; }

    /// <summary>How long resolved AWS credentials are used before they are read again (temporary credentials expire).</summary>
    public TimeSpan CredentialsRefresh { get; set; } = TimeSpan.FromMinutes(10);
}
