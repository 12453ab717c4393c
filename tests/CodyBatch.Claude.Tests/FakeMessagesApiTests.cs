using System.Net.Http.Json;
using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Claude.Tests;

/// <summary>The in-process Messages API keeps Anthropic's caching rules per model.</summary>
public sealed class FakeMessagesApiTests
{
    [Theory]
    [InlineData("claude-sonnet-4-5", 1_024)]
    [InlineData("claude-opus-4-1-20250805", 1_024)]
    [InlineData("claude-haiku-4-5-20251001", 4_096)]
    [InlineData("claude-opus-4-5", 4_096)]
    [InlineData("claude-3-5-haiku-latest", 2_048)]
    public async Task A_breakpoint_caches_only_a_prefix_as_long_as_the_models_minimum(string model, int minimum)
    {
        await using var api = await FakeMessagesApi.StartAsync();
        api.Fallback = _ => Message(Text("ok"));
        using var http = new HttpClient { BaseAddress = new Uri(api.BaseUrl) };
        async Task<JsonNode> Send(int tokens)
        {
            var body = new JsonObject
            {
                ["model"] = model,
                ["max_tokens"] = 1_024,
                ["system"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = new string('s', tokens * 4), ["cache_control"] = new JsonObject { ["type"] = "ephemeral" } }),
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }),
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = JsonContent.Create(body) };
            request.Headers.Add("x-api-key", api.ApiKey);
            request.Headers.Add("anthropic-version", "2023-06-01");
            using var response = await http.SendAsync(request);
            return (await response.Content.ReadFromJsonAsync<JsonNode>())!["usage"]!;
        }

        var under = await Send(minimum - 100);
        var over = await Send(minimum + 100);
        var again = await Send(minimum + 100);

        Assert.Equal(0, under["cache_creation_input_tokens"]!.GetValue<long>());
        Assert.True(over["cache_creation_input_tokens"]!.GetValue<long>() >= minimum);
        Assert.Equal(over["cache_creation_input_tokens"]!.GetValue<long>(), again["cache_read_input_tokens"]!.GetValue<long>());
        Assert.Empty(api.Problems);
    }
}
