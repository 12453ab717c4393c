using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using CodyBatch.Claude.Agent;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Telemetry;

namespace CodyBatch.Claude.Messages;

/// <summary>
/// Sends one run's requests to the Messages API as streams and puts each response back together.
/// Retries 429 (except spend limits), 529, 5xx, dropped connections and stalled streams, waiting
/// what <c>retry-after</c> says (also beyond a minute) or backing off, within the run's retry
/// limits; every other failure ends the run with a sentence a user can act on.
/// </summary>
internal sealed class MessagesClient(IAnthropicClient client, ClaudeOptions options, TimeProvider time)
{
    private static readonly IReadOnlyDictionary<string, JsonElement> None = new Dictionary<string, JsonElement>();
    private TimeSpan _waited;

    /// <summary>Total time this run has spent waiting to retry.</summary>
    public TimeSpan Waited => _waited;

    public async Task<ClaudeResponse> SendAsync(JsonObject body, Func<JsonObject, Task> onRetry, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var headers = new ResponseHeaders();
            ResponseHeaders.Current = headers;
            string why;
            int? status = null;
            try
            {
                return await StreamAsync(body, cancellationToken);
            }
            catch (AnthropicApiException e)
            {
                status = (int)e.StatusCode;
                why = Classify(e, body);
            }
            catch (StreamStalledException)
            {
                why = $"the response stream sent nothing for {Durations.Describe(options.StallTimeout)}";
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is AnthropicIOException or AnthropicSseException or HttpRequestException or IOException or StreamEndedException)
            {
                why = "the connection to Claude broke off";
            }
            finally
            {
                ResponseHeaders.Current = null;
            }

            if (attempt > options.MaxRetries)
            {
                throw new RunFailedException($"Claude could not answer: {why}, {attempt} times in a row. The run stopped; retry it later.");
            }

            var wait = headers.RetryAfter ?? Backoff(attempt);
            if (_waited + wait > options.MaxRetryWait)
            {
                throw new RunFailedException(
                    $"Claude could not answer ({why}) and asked to wait {Durations.Describe(wait)} before trying again, past this run's retry limit of "
                    + $"{Durations.Describe(options.MaxRetryWait)} (CodyBatch:Agent:MaxRetryWait). Retry the run later.");
            }

            await onRetry(new JsonObject { ["attempt"] = attempt, ["status"] = status, ["reason"] = why, ["waitSeconds"] = Math.Round(wait.TotalSeconds, 3) });
            if (status is 429 or 529)
            {
                CodyBatchMetrics.RateLimited("anthropic", status == 429 ? "rate_limit" : "overloaded", wait);
            }

            System.Diagnostics.Activity.Current?.AddEvent(new("retry", tags: new() { ["http.response.status_code"] = status, ["codybatch.wait_seconds"] = wait.TotalSeconds }));
            _waited += wait;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }
        }
    }

    // Returns why a retryable failure happened; throws a sentence for failures a retry cannot fix.
    private static string Classify(AnthropicApiException e, JsonObject body)
    {
        var (type, message, code) = ReadError(e.ResponseBody);
        var status = (int)e.StatusCode;
        var said = message is null ? "" : $" ({message})";
        if (status == 429 && (code?.EndsWith("spend_limit_reached", StringComparison.Ordinal) == true
                              || message?.Contains("spend limit", StringComparison.OrdinalIgnoreCase) == true
                              || message?.Contains("credit balance", StringComparison.OrdinalIgnoreCase) == true))
        {
            throw new RunFailedException($"Anthropic refused the request because the organization's spend limit is reached{said}. Raise the limit in the Anthropic console, then retry the run.");
        }

        switch (status)
        {
            case 429:
                return "Claude's rate limit was reached (429)";
            case 529:
                return "Claude was overloaded (529)";
            case 408:
                return "the request timed out (408)";
            case >= 500:
                return $"Anthropic's API failed ({status}{(type is null ? "" : $" {type}")})";
            case 401:
                throw new RunFailedException($"Anthropic did not accept the API key (401{said}); set ANTHROPIC_API_KEY to a valid key.");
            case 403:
                throw new RunFailedException($"The API key may not do this (403{said}); check its permissions and the model {body["model"]}.");
            case 404:
                throw new RunFailedException($"Anthropic did not find what was asked for (404{said}); check the model name {body["model"]}.");
            case 413:
                throw new RunFailedException($"The request to Claude was too large (413{said}); the conversation outgrew the API's limit.");
            default:
                throw new RunFailedException($"Anthropic refused the request ({status}{(type is null ? "" : $" {type}")}{said}). This needs a change, not a retry.");
        }
    }

    private static (string? Type, string? Message, string? Code) ReadError(string? body)
    {
        try
        {
            var error = JsonNode.Parse(body ?? "")?["error"];
            return (error?["type"]?.GetValue<string>(), error?["message"]?.GetValue<string>(), error?["details"]?["error_code"]?.GetValue<string>());
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var seconds = Math.Min(60, options.RetryBackoff.TotalSeconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromSeconds(seconds * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    private async Task<ClaudeResponse> StreamAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var raw = body.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value));
        var parameters = MessageCreateParams.FromRawUnchecked(None, None, raw);
        // The stall timer runs on the run's clock, so tests move it instead of waiting it out.
        using var stallTimer = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stallTimer.Token);
        stallTimer.CancelAfter(options.StallTimeout);
        var blocks = new SortedDictionary<long, JsonObject>();
        var partialInputs = new Dictionary<long, StringBuilder>();
        string? stopReason = null;
        long input = 0, output = 0, cacheRead = 0, cacheWrite = 0;
        var stopped = false;
        var events = client.Messages.CreateStreaming(parameters, stall.Token).GetAsyncEnumerator(stall.Token);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await events.MoveNextAsync();
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new StreamStalledException();
                }

                if (!more)
                {
                    break;
                }

                stallTimer.CancelAfter(options.StallTimeout);
                var data = JsonNode.Parse(events.Current.Json.GetRawText())!.AsObject();
                switch (data["type"]?.GetValue<string>())
                {
                    case "message_start":
                        var usage = data["message"]?["usage"];
                        input = Number(usage?["input_tokens"]);
                        cacheRead = Number(usage?["cache_read_input_tokens"]);
                        cacheWrite = Number(usage?["cache_creation_input_tokens"]);
                        output = Number(usage?["output_tokens"]);
                        break;
                    case "content_block_start":
                        var index = Number(data["index"]);
                        var block = data["content_block"]!.DeepClone().AsObject();
                        blocks[index] = block;
                        if (block["type"]?.GetValue<string>() == "tool_use")
                        {
                            partialInputs[index] = new StringBuilder();
                        }

                        break;
                    case "content_block_delta":
                        var at = Number(data["index"]);
                        var delta = data["delta"]!;
                        switch (delta["type"]?.GetValue<string>())
                        {
                            case "text_delta":
                                blocks[at]["text"] = (blocks[at]["text"]?.GetValue<string>() ?? "") + delta["text"]!.GetValue<string>();
                                break;
                            case "input_json_delta":
                                partialInputs[at].Append(delta["partial_json"]!.GetValue<string>());
                                break;
                            case "thinking_delta":
                                blocks[at]["thinking"] = (blocks[at]["thinking"]?.GetValue<string>() ?? "") + delta["thinking"]!.GetValue<string>();
                                break;
                            case "signature_delta":
                                // The signature lets the API check the block comes back unaltered; kept verbatim.
                                blocks[at]["signature"] = (blocks[at]["signature"]?.GetValue<string>() ?? "") + delta["signature"]!.GetValue<string>();
                                break;
                        }

                        break;
                    case "content_block_stop":
                        var done = Number(data["index"]);
                        if (partialInputs.Remove(done, out var json))
                        {
                            FinishToolInput(blocks[done], json.ToString());
                        }

                        break;
                    case "message_delta":
                        stopReason = data["delta"]?["stop_reason"]?.GetValue<string>() ?? stopReason;
                        output = Math.Max(output, Number(data["usage"]?["output_tokens"]));
                        input = Math.Max(input, Number(data["usage"]?["input_tokens"]));
                        cacheRead = Math.Max(cacheRead, Number(data["usage"]?["cache_read_input_tokens"]));
                        cacheWrite = Math.Max(cacheWrite, Number(data["usage"]?["cache_creation_input_tokens"]));
                        break;
                    case "message_stop":
                        stopped = true;
                        break;
                    case "error":
                        throw new StreamEndedException();
                }
            }
        }
        finally
        {
            await events.DisposeAsync();
        }

        if (!stopped)
        {
            throw new StreamEndedException();
        }

        return new ClaudeResponse(new JsonArray([.. blocks.Values]), stopReason, input, output, cacheRead, cacheWrite);
    }

    // A tool call's input arrives as JSON text in pieces; when it does not parse, the call is kept
    // with an empty input and the problem, so Claude is told instead of the run failing.
    private static void FinishToolInput(JsonObject block, string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            block["input"] = new JsonObject();
            return;
        }

        try
        {
            block["input"] = JsonNode.Parse(json) is JsonObject parsed ? parsed : throw new JsonException("the input is not a JSON object");
        }
        catch (JsonException e)
        {
            block["input"] = new JsonObject();
            block[ClaudeCodeAgent.InvalidInputKey] = $"The input of this tool call was not valid JSON ({e.Message}).";
        }
    }

    private static long Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : 0;

    private sealed class StreamStalledException : Exception;

    private sealed class StreamEndedException : Exception;
}
