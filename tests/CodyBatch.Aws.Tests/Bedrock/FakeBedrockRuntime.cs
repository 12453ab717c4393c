using System.Collections.Concurrent;
using CodyBatch.Testing.Anthropic;
using Microsoft.AspNetCore.Builder;

namespace CodyBatch.Aws.Tests.Bedrock;

/// <summary>
/// Amazon Bedrock's runtime as its API reference describes InvokeModelWithResponseStream for Anthropic models:
/// <c>POST /model/{modelId}/invoke-with-response-stream</c>, SigV4-signed for service <c>bedrock</c>, a body in the
/// Messages shape with <c>anthropic_version: bedrock-2023-05-31</c> and neither <c>model</c> nor <c>stream</c>; the
/// answer is an AWS event stream of <c>chunk</c> events carrying the Messages stream events. Throttling is a 429 with
/// <c>x-amzn-ErrorType: ThrottlingException</c>. Unexpected calls are recorded as problems and refused.
/// </summary>
public sealed partial class FakeBedrockRuntime : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeReply> _replies = new();
    private readonly ConcurrentQueue<JsonObject> _requests = new();
    private readonly ConcurrentQueue<string> _problems = new();
    private WebApplication _app = null!;

    public string Url { get; private set; } = null!;

    public string Region { get; init; } = "eu-west-1";

    public IReadOnlyList<JsonObject> Requests => [.. _requests];

    public IReadOnlyList<string> Problems => [.. _problems];

    public List<string> ModelIds { get; } = [];

    public static async Task<FakeBedrockRuntime> StartAsync()
    {
        var fake = new FakeBedrockRuntime();
        (fake._app, fake.Url) = await LocalServer.StartAsync(app =>
        {
            app.MapPost("/model/{modelId}/invoke-with-response-stream", fake.HandleAsync);
            app.MapGet("/foundation-models", fake.ListFoundationModelsAsync);
        });
        return fake;
    }

    public FakeBedrockRuntime Enqueue(params FakeReply[] replies)
    {
        foreach (var reply in replies)
        {
            _replies.Enqueue(reply);
        }

        return this;
    }

    /// <summary>Throttling that arrives inside a stream that had begun: an exception message of the event stream.</summary>
    public static FakeReply ThrottlingInStream() => new StallReply();

    /// <summary>Bedrock's throttling answer.</summary>
    public static FakeReply Throttling() => FakeReply.Error(429, "ThrottlingException", "Too many requests, please wait before trying again.");

    private async Task HandleAsync(HttpContext context, string modelId)
    {
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        var authorization = context.Request.Headers.Authorization.ToString();
        var date = context.Request.Headers["X-Amz-Date"].ToString();
        if (!authorization.StartsWith($"AWS4-HMAC-SHA256 Credential=", StringComparison.Ordinal)
            || !authorization.Contains($"/{date[..8]}/{Region}/bedrock/aws4_request", StringComparison.Ordinal)
            || !authorization.Contains("SignedHeaders=", StringComparison.Ordinal)
            || !authorization.Contains("Signature=", StringComparison.Ordinal))
        {
            await RefuseAsync(context, 403, "UnrecognizedClientException", "The security token included in the request is invalid.", $"unsigned or wrongly scoped request: '{authorization}' at '{date}'");
            return;
        }

        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        if (body["anthropic_version"]?.GetValue<string>() != "bedrock-2023-05-31" || body.ContainsKey("model") || body.ContainsKey("stream")
            || body["max_tokens"] is null || body["messages"] is not JsonArray { Count: > 0 })
        {
            await RefuseAsync(context, 400, "ValidationException", "Malformed input request, please reformat your input and try again.", $"a body Bedrock refuses, with the fields {string.Join(", ", body.Select(p => p.Key))} and anthropic_version {body["anthropic_version"]?.ToJsonString()}");
            return;
        }

        _requests.Enqueue(body);
        lock (ModelIds)
        {
            ModelIds.Add(modelId);
        }

        switch (_replies.TryDequeue(out var reply) ? reply : null)
        {
            case ErrorReply error:
                await RefuseAsync(context, error.Status, error.Type, error.Description, null);
                return;
            case StallReply:
                // Here: the stream starts, then Bedrock ends it with an exception message (":message-type" exception).
                context.Response.ContentType = "application/vnd.amazon.eventstream";
                await context.Response.Body.WriteAsync(EventStream.Chunk(Events(new MessageReply([], "end_turn", null)).First().ToJsonString()));
                await context.Response.Body.WriteAsync(EventStream.Message(
                    [(":exception-type", "throttlingException"), (":content-type", "application/json"), (":message-type", "exception")],
                    Encoding.UTF8.GetBytes("""{"message":"Too many requests, please wait before trying again."}""")));
                await context.Response.Body.FlushAsync();
                return;
            case MessageReply message:
                context.Response.ContentType = "application/vnd.amazon.eventstream";
                context.Response.Headers["x-amzn-Bedrock-Content-Type"] = "application/json";
                foreach (var e in Events(message))
                {
                    await context.Response.Body.WriteAsync(EventStream.Chunk(e.ToJsonString()));
                    await context.Response.Body.FlushAsync();
                }

                return;
            default:
                await RefuseAsync(context, 500, "InternalServerException", "no scripted reply", $"request {_requests.Count} had no scripted reply");
                return;
        }
    }

    private async Task RefuseAsync(HttpContext context, int status, string type, string message, string? problem)
    {
        if (problem is not null)
        {
            _problems.Enqueue(problem);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-amzn-ErrorType"] = $"{type}:http://internal.amazon.com/coral/com.amazon.bedrock/";
        await context.Response.WriteAsync(new JsonObject { ["message"] = message }.ToJsonString(), Encoding.UTF8);
    }

    // The Messages stream events of one reply, as Bedrock relays them (message_stop also carries its invocation metrics).
    private static IEnumerable<JsonObject> Events(MessageReply reply)
    {
        var usage = reply.Usage ?? new FakeUsage(100, 20);
        yield return new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = $"msg_bdrk_{Guid.NewGuid():N}",
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = "claude-sonnet-4-5-20250929",
                ["content"] = new JsonArray(),
                ["stop_reason"] = null,
                ["stop_sequence"] = null,
                ["usage"] = new JsonObject
                {
                    ["input_tokens"] = usage.InputTokens,
                    ["cache_creation_input_tokens"] = usage.CacheWriteTokens,
                    ["cache_read_input_tokens"] = usage.CacheReadTokens,
                    ["output_tokens"] = 1,
                },
            },
        };
        for (var index = 0; index < reply.Content.Count; index++)
        {
            var block = reply.Content[index];
            if (block["type"]!.GetValue<string>() == "text")
            {
                yield return new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" } };
                yield return new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = block["text"]!.GetValue<string>() } };
            }
            else
            {
                yield return new JsonObject
                {
                    ["type"] = "content_block_start",
                    ["index"] = index,
                    ["content_block"] = new JsonObject { ["type"] = "tool_use", ["id"] = block["id"]!.DeepClone(), ["name"] = block["name"]!.DeepClone(), ["input"] = new JsonObject() },
                };
                var input = block["input"]!.ToJsonString();
                yield return new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = input[..(input.Length / 2)] } };
                yield return new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = input[(input.Length / 2)..] } };
            }

            yield return new JsonObject { ["type"] = "content_block_stop", ["index"] = index };
        }

        yield return new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = reply.StopReason, ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = usage.OutputTokens },
        };
        yield return new JsonObject
        {
            ["type"] = "message_stop",
            ["amazon-bedrock-invocationMetrics"] = new JsonObject
            {
                ["inputTokenCount"] = usage.InputTokens,
                ["outputTokenCount"] = usage.OutputTokens,
                ["invocationLatency"] = 1200,
                ["firstByteLatency"] = 300,
            },
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
