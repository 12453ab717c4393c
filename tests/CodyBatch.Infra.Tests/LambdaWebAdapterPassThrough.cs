using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CodyBatch.Infra.Tests;

/// <summary>
/// What the Lambda Web Adapter (0.9.x, as its source and "Non-HTTP Event Triggers" page describe) does with an
/// invocation that is not an HTTP event, such as EventBridge Scheduler's: it POSTs the raw event JSON to
/// <c>AWS_LWA_PASS_THROUGH_PATH</c> on the app's port, with <c>x-amzn-request-context</c> set to the event's request
/// context, <c>null</c> for a pass-through (lambda_http's untagged <c>RequestContext::PassThrough</c>), and
/// <c>x-amzn-lambda-context</c> set to the invocation's context. In <c>response_stream</c> mode it answers Lambda with
/// an HTTP-integration stream: a JSON prelude (<c>statusCode</c>, <c>headers</c>, <c>cookies</c>), eight NUL bytes,
/// then the app's body as it comes.
/// </summary>
internal sealed class LambdaWebAdapterPassThrough(HttpClient app, string passThroughPath, string invokeMode)
{
    /// <summary>The response Lambda gets back, read from the stream as Lambda reads it.</summary>
    public sealed record Streamed(int StatusCode, JsonObject Headers, byte[] Body);

    public async Task<Streamed> InvokeAsync(string eventJson, string requestId, string functionArn)
    {
        if (invokeMode != "response_stream")
        {
            throw new InvalidOperationException($"This emulates the response_stream invoke mode, not {invokeMode}.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, passThroughPath)
        {
            Content = new StringContent(eventJson, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = null;
        request.Headers.TryAddWithoutValidation("x-amzn-request-context", "null");
        request.Headers.TryAddWithoutValidation("x-amzn-lambda-context", JsonSerializer.Serialize(new
        {
            request_id = requestId,
            deadline = DateTimeOffset.UtcNow.AddSeconds(30).ToUnixTimeMilliseconds(),
            invoked_function_arn = functionArn,
            env_config = new { function_name = "Api", memory = 1024, version = "$LATEST" },
        }));
        using var response = await app.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        // What the adapter writes to the runtime API's response endpoint in streaming mode.
        using var stream = new MemoryStream();
        var headers = new JsonObject();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name.ToLowerInvariant()] = string.Join(", ", values);
        }

        var prelude = new JsonObject { ["statusCode"] = (int)response.StatusCode, ["headers"] = headers, ["cookies"] = new JsonArray() };
        stream.Write(Encoding.UTF8.GetBytes(prelude.ToJsonString()));
        stream.Write(new byte[8]);
        await response.Content.CopyToAsync(stream);
        return Read(stream.ToArray());
    }

    // How Lambda splits an HTTP-integration response stream: the prelude up to eight NUL bytes, then the body.
    private static Streamed Read(byte[] streamed)
    {
        var separator = streamed.AsSpan().IndexOf(new byte[8]);
        if (separator < 0)
        {
            throw new InvalidDataException("The stream has no prelude separator.");
        }

        var prelude = JsonNode.Parse(streamed.AsSpan(0, separator))!.AsObject();
        return new Streamed(prelude["statusCode"]!.GetValue<int>(), prelude["headers"]!.AsObject(), streamed[(separator + 8)..]);
    }

    /// <summary>The content type of a response that reached Lambda, if it had one.</summary>
    public static MediaTypeHeaderValue? ContentType(Streamed streamed) =>
        streamed.Headers["content-type"] is { } value ? MediaTypeHeaderValue.Parse(value.GetValue<string>()) : null;
}
