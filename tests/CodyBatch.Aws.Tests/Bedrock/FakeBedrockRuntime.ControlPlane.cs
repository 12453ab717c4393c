namespace CodyBatch.Aws.Tests.Bedrock;

/// <summary>
/// Bedrock's control plane as its API reference describes ListFoundationModels: <c>GET /foundation-models</c> with the
/// optional filters <c>byProvider</c>, <c>byCustomizationType</c>, <c>byOutputModality</c> and <c>byInferenceType</c>,
/// SigV4-signed for service <c>bedrock</c> (the signature recomputed from the known secret, not just its shape), answering
/// <c>{ modelSummaries: [FoundationModelSummary] }</c>; AccessDeniedException (403) for a caller without the permission,
/// ValidationException (400) for an unknown parameter.
/// </summary>
public sealed partial class FakeBedrockRuntime
{
    private static readonly HashSet<string> Filters = new(StringComparer.Ordinal) { "byProvider", "byCustomizationType", "byOutputModality", "byInferenceType" };
    private int _listCalls;

    /// <summary>The secret key of each access key the fake accepts.</summary>
    public Dictionary<string, string> Secrets { get; } = new(StringComparer.Ordinal) { ["AKIDEXAMPLE"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

    /// <summary>When true, the caller lacks <c>bedrock:ListFoundationModels</c>.</summary>
    public bool DenyListFoundationModels { get; set; }

    /// <summary>ListFoundationModels calls that were signed correctly.</summary>
    public int ListCalls => _listCalls;

    /// <summary>The Region's foundation models, of every provider (a few of them, as the API names them).</summary>
    public List<JsonObject> FoundationModels { get; } =
    [
        Summary("anthropic.claude-sonnet-4-5-20250929-v1:0", "Claude Sonnet 4.5", "Anthropic", "ACTIVE", "INFERENCE_PROFILE"),
        Summary("anthropic.claude-haiku-4-5-20251001-v1:0", "Claude Haiku 4.5", "Anthropic", "ACTIVE", "INFERENCE_PROFILE"),
        Summary("anthropic.claude-3-haiku-20240307-v1:0", "Claude 3 Haiku", "Anthropic", "LEGACY", "ON_DEMAND"),
        Summary("amazon.titan-text-express-v1", "Titan Text G1 - Express", "Amazon", "ACTIVE", "ON_DEMAND"),
    ];

    public static JsonObject Summary(string id, string name, string provider, string status, string inference) => new()
    {
        ["modelArn"] = $"arn:aws:bedrock:eu-west-1::foundation-model/{id}",
        ["modelId"] = id,
        ["modelName"] = name,
        ["providerName"] = provider,
        ["inputModalities"] = new JsonArray("TEXT", "IMAGE"),
        ["outputModalities"] = new JsonArray("TEXT"),
        ["responseStreamingSupported"] = true,
        ["customizationsSupported"] = new JsonArray(),
        ["inferenceTypesSupported"] = new JsonArray(inference),
        ["modelLifecycle"] = new JsonObject { ["status"] = status },
    };

    private async Task ListFoundationModelsAsync(HttpContext context)
    {
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        if (SigV4.Problem(context, [], Region, "bedrock", Secrets, DateTimeOffset.UtcNow) is { } refused)
        {
            await RefuseAsync(context, 403, refused.Type, refused.Message, $"ListFoundationModels: {refused.Message}");
            return;
        }

        if (context.Request.Query.Keys.FirstOrDefault(k => !Filters.Contains(k)) is { } unknown)
        {
            await RefuseAsync(context, 400, "ValidationException", $"Unknown parameter {unknown}.", $"ListFoundationModels with {unknown}");
            return;
        }

        if (DenyListFoundationModels)
        {
            await RefuseAsync(context, 403, "AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/codybatch-api/fn is not authorized to perform: bedrock:ListFoundationModels", null);
            return;
        }

        Interlocked.Increment(ref _listCalls);
        var provider = context.Request.Query["byProvider"].ToString();
        var models = FoundationModels.Where(m => provider.Length == 0 || m["providerName"]!.GetValue<string>().Equals(provider, StringComparison.OrdinalIgnoreCase));
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["modelSummaries"] = new JsonArray([.. models.Select(m => (JsonNode)m.DeepClone())]) }.ToJsonString());
    }
}
