namespace CodyBatch.Testing.Anthropic;

/// <summary>
/// An in-process server speaking Anthropic's Messages API (<c>POST /v1/messages</c>) and Models API
/// (<c>GET /v1/models</c>, paged): it checks requests the way the real API does (auth, version
/// header, message order, tool results for every tool call, cache breakpoints, extended thinking's
/// rules and signatures — see <see cref="MessagesRequestRules"/>), answers with scripted replies as
/// JSON or as an SSE stream, sends errors with Anthropic's body and headers, and computes usage
/// with the prompt-caching rules (prefix up to a breakpoint, the model's minimum cacheable length,
/// reads of earlier writes). Anything it did not expect is recorded in <see cref="Problems"/>;
/// tests assert it stays empty.
/// </summary>
public sealed partial class FakeMessagesApi : IAsyncDisposable
{
    private readonly MessagesRequestRules _rules = new();
    private readonly ConcurrentQueue<FakeReply> _replies = new();
    private readonly ConcurrentDictionary<string, long> _cache = new();
    private readonly Recorded<FakeRequest> _requests = new();
    private readonly Recorded<string> _problems = new();
    private readonly Recorded<string> _modelRequests = new();
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication _app = null!;

    private FakeMessagesApi(string apiKey) => ApiKey = apiKey;

    public string ApiKey { get; }

    /// <summary>The root to give the SDK as its base URL (no <c>/v1</c>).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>How long a message reply takes to begin (the model's time to first token); none by default.</summary>
    public TimeSpan TimeToFirstToken { get; set; }

    /// <summary>Answers when the queue is empty; null makes such a request a problem.</summary>
    public Func<FakeRequest, FakeReply>? Fallback { get; set; }

    public IReadOnlyList<FakeRequest> Requests => _requests.Snapshot();

    /// <summary>Completes once <paramref name="count"/> requests have arrived; fails the test if they never do.</summary>
    public Task RequestsReceivedAsync(int count) =>
        _requests.CountReachedAsync(count).Expect($"{count} request(s) reaching the Messages API");

    public IReadOnlyList<string> Problems => _problems.Snapshot();

    public static async Task<FakeMessagesApi> StartAsync(string apiKey = "sk-ant-test-0123456789abcdef")
    {
        var api = new FakeMessagesApi(apiKey);
        (api._app, api.BaseUrl) = await LocalServer.StartAsync(app =>
        {
            app.MapPost("/v1/messages", api.HandleAsync);
            app.MapGet("/v1/models", api.ListModelsAsync);
            app.MapFallback((HttpContext context) =>
            {
                api.Problem($"unexpected {context.Request.Method} {context.Request.Path}");
                return Results.Json(ErrorBody("not_found_error", "Not found"), statusCode: 404);
            });
        });
        return api;
    }

    /// <summary>Queues replies, answered in order.</summary>
    public FakeMessagesApi Enqueue(params FakeReply[] replies)
    {
        foreach (var reply in replies)
        {
            _replies.Enqueue(reply);
        }

        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private static JsonObject ErrorBody(string type, string message, JsonObject? details = null)
    {
        var error = new JsonObject { ["type"] = type, ["message"] = message };
        if (details is not null)
        {
            error["details"] = details.DeepClone();
        }

        return new JsonObject { ["type"] = "error", ["error"] = error };
    }

    private void Problem(string what) => _problems.Add(what);

    private async Task HandleAsync(HttpContext context)
    {
        context.Response.Headers["request-id"] = $"req_{Guid.NewGuid():N}";
        var headers = context.Request.Headers;
        var key = headers["x-api-key"].ToString();
        var bearer = headers.Authorization.ToString();
        if (key != ApiKey && bearer != $"Bearer {ApiKey}")
        {
            Problem("a request without the API key");
            await WriteErrorAsync(context, 401, "authentication_error", "invalid x-api-key");
            return;
        }

        if (string.IsNullOrEmpty(headers["anthropic-version"]))
        {
            Problem("a request without anthropic-version");
            await WriteErrorAsync(context, 400, "invalid_request_error", "anthropic-version: header is required");
            return;
        }

        JsonObject body;
        try
        {
            body = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!.AsObject();
        }
        catch (JsonException e)
        {
            Problem($"a body that is not JSON: {e.Message}");
            await WriteErrorAsync(context, 400, "invalid_request_error", "request body is not valid JSON");
            return;
        }

        var headerValues = headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        if (_rules.Validate(body, headerValues) is { } invalid)
        {
            Problem(invalid);
            await WriteErrorAsync(context, 400, "invalid_request_error", invalid);
            return;
        }

        var (usage, written) = ComputeUsage(body);
        var request = new FakeRequest(body, headerValues, usage);
        _requests.Add(request);

        var reply = _replies.TryDequeue(out var queued) ? queued : Fallback?.Invoke(request);
        switch (reply)
        {
            case null:
                Problem($"request {Requests.Count} had no scripted reply");
                await WriteErrorAsync(context, 500, "api_error", "no scripted reply");
                return;
            case ErrorReply error:
                foreach (var (name, value) in error.Headers)
                {
                    context.Response.Headers[name] = value;
                }

                await WriteErrorAsync(context, error.Status, error.Type, error.Description, error.Details);
                return;
            case StallReply:
                context.Response.ContentType = "text/event-stream";
                await WriteEventAsync(context, "message_start", new JsonObject { ["type"] = "message_start", ["message"] = MessageJson(body, [], null, usage, 1) });
                await Task.Delay(Timeout.Infinite, CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token).Token).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            case MessageReply message:
                if (TimeToFirstToken > TimeSpan.Zero)
                {
                    await Task.Delay(TimeToFirstToken, context.RequestAborted);
                }

                // A cache entry is readable only once the response that wrote it has begun.
                foreach (var (hash, tokens) in written)
                {
                    _cache.TryAdd(hash, tokens);
                }

                var content = message.Content.Select(c => c.DeepClone().AsObject()).ToList();
                if (content.Any(c => c["type"]?.GetValue<string>() is "thinking" or "redacted_thinking") && body["thinking"]?["type"]?.GetValue<string>() != "enabled")
                {
                    Problem($"request {Requests.Count} did not enable thinking, but its scripted reply thinks");
                }

                foreach (var block in content)
                {
                    switch (block["type"]?.GetValue<string>())
                    {
                        case "thinking":
                            block["signature"] = _rules.Sign(block["thinking"]!.GetValue<string>());
                            break;
                        case "redacted_thinking":
                            block["data"] = _rules.Redacted(block["data"]!.GetValue<string>());
                            break;
                    }
                }

                var finalUsage = message.Usage ?? usage with { OutputTokens = Math.Max(1, string.Concat(content.Select(c => c.ToJsonString())).Length / 4) };
                if (body["stream"]?.GetValue<bool>() == true)
                {
                    await StreamAsync(context, body, content, message.StopReason, finalUsage);
                }
                else
                {
                    foreach (var block in content.Where(b => b["raw_input"] is not null))
                    {
                        block["input"] = JsonNode.Parse(block["raw_input"]!.GetValue<string>());
                        block.Remove("raw_input");
                    }

                    await context.Response.WriteAsJsonAsync(MessageJson(body, content, message.StopReason, finalUsage, finalUsage.OutputTokens));
                }

                return;
        }
    }

    private static JsonObject MessageJson(JsonObject request, List<JsonObject> content, string? stopReason, FakeUsage usage, long outputTokens) => new()
    {
        ["id"] = $"msg_{Guid.NewGuid():N}",
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = request["model"]!.DeepClone(),
        ["content"] = new JsonArray([.. content.Select(c => (JsonNode)c.DeepClone())]),
        ["stop_reason"] = stopReason,
        ["stop_sequence"] = null,
        ["usage"] = new JsonObject
        {
            ["input_tokens"] = usage.InputTokens,
            ["cache_creation_input_tokens"] = usage.CacheWriteTokens,
            ["cache_read_input_tokens"] = usage.CacheReadTokens,
            ["output_tokens"] = outputTokens,
        },
    };

    private async Task StreamAsync(HttpContext context, JsonObject request, List<JsonObject> content, string stopReason, FakeUsage usage)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await WriteEventAsync(context, "message_start", new JsonObject { ["type"] = "message_start", ["message"] = MessageJson(request, [], null, usage, 1) });
        await WriteEventAsync(context, "ping", new JsonObject { ["type"] = "ping" });
        for (var index = 0; index < content.Count; index++)
        {
            var block = content[index];
            var type = block["type"]!.GetValue<string>();
            if (type == "thinking")
            {
                await WriteEventAsync(context, "content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = new JsonObject { ["type"] = "thinking", ["thinking"] = "" } });
                foreach (var part in Halves(block["thinking"]!.GetValue<string>()))
                {
                    await WriteEventAsync(context, "content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "thinking_delta", ["thinking"] = part } });
                }

                await WriteEventAsync(context, "content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "signature_delta", ["signature"] = block["signature"]!.DeepClone() } });
            }
            else if (type == "redacted_thinking")
            {
                await WriteEventAsync(context, "content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = block.DeepClone() });
            }
            else if (type == "text")
            {
                var text = block["text"]!.GetValue<string>();
                await WriteEventAsync(context, "content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = index, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" } });
                foreach (var part in Halves(text))
                {
                    await WriteEventAsync(context, "content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = part } });
                }
            }
            else
            {
                var input = block["raw_input"]?.GetValue<string>() ?? block["input"]!.ToJsonString();
                await WriteEventAsync(context, "content_block_start", new JsonObject
                {
                    ["type"] = "content_block_start",
                    ["index"] = index,
                    ["content_block"] = new JsonObject { ["type"] = "tool_use", ["id"] = block["id"]!.DeepClone(), ["name"] = block["name"]!.DeepClone(), ["input"] = new JsonObject() },
                });
                foreach (var part in Halves(input))
                {
                    await WriteEventAsync(context, "content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = part } });
                }
            }

            await WriteEventAsync(context, "content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index });
        }

        await WriteEventAsync(context, "message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = stopReason, ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = usage.OutputTokens },
        });
        await WriteEventAsync(context, "message_stop", new JsonObject { ["type"] = "message_stop" });
    }

    private static IEnumerable<string> Halves(string text) =>
        text.Length < 2 ? [text] : [text[..(text.Length / 2)], text[(text.Length / 2)..]];

    private static async Task WriteEventAsync(HttpContext context, string name, JsonObject data)
    {
        await context.Response.WriteAsync($"event: {name}\ndata: {data.ToJsonString()}\n\n");
        await context.Response.Body.FlushAsync();
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string type, string message, JsonObject? details = null)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(ErrorBody(type, message, details));
    }

    /// <summary>
    /// Usage under the caching rules: the prompt is tools, then system, then messages; every block
    /// with <c>cache_control</c> ends a cacheable prefix. The longest prefix cached by an earlier
    /// request is read; the rest up to the last breakpoint is written (when long enough); the
    /// remainder is plain input.
    /// </summary>
    private (FakeUsage Usage, List<(string Hash, long Tokens)> Written) ComputeUsage(JsonObject body)
    {
        var elements = new List<(long Tokens, bool Breakpoint, string Json)>();
        foreach (var tool in body["tools"]?.AsArray() ?? [])
        {
            elements.Add(Element(tool!));
        }

        if (body["system"] is JsonArray system)
        {
            elements.AddRange(system.Select(b => Element(b!)));
        }
        else if (body["system"] is JsonValue text)
        {
            elements.Add(Element(text));
        }

        foreach (var message in body["messages"]!.AsArray())
        {
            if (message!["content"] is JsonArray blocks)
            {
                elements.AddRange(blocks.Select(b => Element(b!)));
            }
            else
            {
                elements.Add(Element(message["content"]!));
            }
        }

        var total = elements.Sum(e => e.Tokens);
        var prefixes = new List<(string Hash, long Tokens)>();
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            long tokens = 0;
            hash.AppendData(Encoding.UTF8.GetBytes(body["model"]!.GetValue<string>()));
            foreach (var element in elements)
            {
                tokens += element.Tokens;
                hash.AppendData(Encoding.UTF8.GetBytes(element.Json));
                if (element.Breakpoint)
                {
                    prefixes.Add((Convert.ToHexString(hash.GetCurrentHash()), tokens));
                }
            }
        }

        var read = prefixes.Where(p => _cache.ContainsKey(p.Hash)).Select(p => p.Tokens).DefaultIfEmpty(0).Max();
        var last = prefixes.Count == 0 ? 0 : prefixes[^1].Tokens;
        var minimum = MinimumCacheableTokens(body["model"]!.GetValue<string>());
        var write = last >= minimum && last > read ? last - read : 0;
        return (new FakeUsage(total - read - write, 0, read, write), [.. prefixes.Where(p => p.Tokens >= minimum)]);
    }

    private static (long Tokens, bool Breakpoint, string Json) Element(JsonNode node)
    {
        var copy = node.DeepClone();
        var breakpoint = copy is JsonObject o && o.Remove("cache_control");
        var json = copy.ToJsonString();
        return (Math.Max(1, json.Length / 4), breakpoint, json);
    }
}

/// <summary>A model <c>GET /v1/models</c> lists.</summary>
public sealed record FakeModel(string Id, string DisplayName, DateTimeOffset CreatedAt);

/// <summary>One request the fake received, with the usage it computed for it.</summary>
public sealed record FakeRequest(JsonObject Body, IReadOnlyDictionary<string, string> Headers, FakeUsage Usage);
