using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CodyBatch.Claude.Bedrock;

/// <summary>
/// Puts the Bedrock model id in place of the Anthropic model name before the Bedrock adaptation moves it into the URL.
/// A model with no mapping is answered here as the API answers an unknown model (400, invalid_request_error), so the run
/// ends with that sentence instead of retrying. It also sets the version Bedrock requires (<c>bedrock-2023-05-31</c>):
/// the adaptation copies the <c>anthropic-version</c> header into the body, and the SDK's own API version is refused there.
/// A stream Bedrock ends with an exception message is reported as a broken connection, which the agent retries.
/// </summary>
internal sealed class ModelMapHandler(IReadOnlyDictionary<string, string> models) : DelegatingHandler
{
    /// <summary>The <c>anthropic_version</c> Bedrock's Messages API for Claude accepts.</summary>
    public const string BedrockVersion = "bedrock-2023-05-31";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is null || request.Method != HttpMethod.Post)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var body = JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
        if (body?["model"]?.GetValue<string>() is not { } model)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        if (!models.TryGetValue(model, out var bedrockModel))
        {
            var error = new JsonObject
            {
                ["type"] = "error",
                ["error"] = new JsonObject
                {
                    ["type"] = "invalid_request_error",
                    ["message"] = $"The model {model} has no Bedrock model id; add it as CodyBatch:Agent:Bedrock:Models:{model}.",
                },
            };
            return new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                RequestMessage = request,
                Content = new StringContent(error.ToJsonString(), Encoding.UTF8, "application/json"),
            };
        }

        body["model"] = bedrockModel;
        request.Headers.Remove("anthropic-version");
        request.Headers.TryAddWithoutValidation("anthropic-version", BedrockVersion);
        var mapped = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        foreach (var header in request.Content.Headers.Where(h => h.Key != "Content-Type" && h.Key != "Content-Length"))
        {
            mapped.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        request.Content = mapped;
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is not IOException and not OperationCanceledException and not HttpRequestException)
        {
            // A stream that had begun and then ended with an exception message (throttling, a model timeout) fails in the
            // adaptation with an error that says nothing (a missing ":event-type" header); the agent retries broken streams.
            throw new IOException("Bedrock ended the response stream with an exception message (throttling or a model error).", e);
        }
    }
}
