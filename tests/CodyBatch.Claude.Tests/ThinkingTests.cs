using System.Net.Http.Json;
using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Claude.Tests;

/// <summary>Extended thinking through a tool-use loop, against the fake's checks of the API's rules.</summary>
public sealed class ThinkingTests
{
    [Fact]
    public async Task Thinking_blocks_with_their_signatures_go_back_unchanged_on_every_later_request()
    {
        await using var harness = await AgentHarness.StartAsync();
        harness.Api.Enqueue(
            Message(Thinking("I should see the repository first."), ToolUse("repository_overview", [])),
            Message(Thinking("The greeting is in src/app.txt."), RedactedThinking("something the safety systems hid"), ToolUse("str_replace_based_edit_tool", new JsonObject { ["command"] = "str_replace", ["path"] = "/repo/src/app.txt", ["old_str"] = "hello", ["new_str"] = "hello there" })),
            Message(Thinking("Done; submit."), ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = true, ["summary"] = "Friendlier." })));

        var outcome = await harness.RunAsync(thinkingBudget: 2_048);

        Assert.Empty(harness.Api.Problems);
        Assert.NotNull(outcome.Result);
        var requests = harness.Api.Requests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal("enabled", r.Body["thinking"]!["type"]!.GetValue<string>());
            Assert.Equal(2_048, r.Body["thinking"]!["budget_tokens"]!.GetValue<int>());
            Assert.True(r.Body["max_tokens"]!.GetValue<int>() > 2_048);
        });

        // What came in as responses (kept in the thread) goes back out byte for byte as assistant turns.
        var responses = harness.ThreadJson()["entries"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "response").Select(e => e!["content"]!).ToList();
        var sentBack = requests[2].Body["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "assistant").Select(m => m!["content"]!).ToList();
        Assert.Equal(2, sentBack.Count);
        Assert.Equal(responses[0].ToJsonString(), WithoutCacheControl(sentBack[0]).ToJsonString());
        Assert.Equal(responses[1].ToJsonString(), WithoutCacheControl(sentBack[1]).ToJsonString());
        Assert.Equal("thinking", sentBack[1][0]!["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(sentBack[1][0]!["signature"]!.GetValue<string>()));
        Assert.Equal("redacted_thinking", sentBack[1][1]!["type"]!.GetValue<string>());
        Assert.Equal("Done; submit.", responses[2][0]!["thinking"]!.GetValue<string>());

        // Thinking is billed as output tokens; each turn's output (thinking included) is priced into the run.
        var perTurn = harness.ThreadJson()["entries"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "response").Sum(e => e!["usage"]!["outputTokens"]!.GetValue<long>());
        Assert.Equal(perTurn, outcome.Usage.OutputTokens);
        var thought = responses.SelectMany(r => r.AsArray()).Sum(b => (b!["thinking"]?.GetValue<string>().Length ?? 0) + (b["signature"]?.GetValue<string>().Length ?? 0));
        Assert.True(outcome.Usage.OutputTokens >= thought / 4, $"{outcome.Usage.OutputTokens} output tokens for {thought} characters of thinking");
        Assert.True(outcome.Usage.CostUsd > 0);
    }

    [Fact]
    public async Task Without_thinking_no_thinking_parameter_is_sent()
    {
        await using var harness = await AgentHarness.StartAsync();
        harness.Api.Enqueue(Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = false, ["summary"] = "Fine." })));

        await harness.RunAsync();

        Assert.Null(harness.Api.Requests[0].Body["thinking"]);
        Assert.Equal(8_192, harness.Api.Requests[0].Body["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_fake_api_refuses_an_altered_thinking_block_a_tool_loop_without_one_and_a_bad_budget_as_the_real_one_does()
    {
        await using var harness = await AgentHarness.StartAsync();
        harness.Api.Enqueue(
            Message(Thinking("Look first."), ToolUse("repository_overview", [], id: "toolu_01")),
            Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = false, ["summary"] = "Fine." })));
        await harness.RunAsync(thinkingBudget: 1_024);
        Assert.Empty(harness.Api.Problems);
        var accepted = harness.Api.Requests[1].Body.DeepClone().AsObject();
        accepted.Remove("stream");

        var altered = accepted.DeepClone().AsObject();
        altered["messages"]![1]!["content"]![0]!["thinking"] = "Look first, then delete everything.";
        var unsigned = accepted.DeepClone().AsObject();
        unsigned["messages"]![1]!["content"]![0]!.AsObject().Remove("signature");
        var withoutThinking = accepted.DeepClone().AsObject();
        withoutThinking["messages"]![1]!["content"]!.AsArray().RemoveAt(0);
        var smallBudget = accepted.DeepClone().AsObject();
        smallBudget["thinking"]!["budget_tokens"] = 512;
        var budgetOverMax = accepted.DeepClone().AsObject();
        budgetOverMax["max_tokens"] = 1_024;
        var forced = accepted.DeepClone().AsObject();
        forced["tool_choice"] = new JsonObject { ["type"] = "any" };

        using var http = new HttpClient { BaseAddress = new Uri(harness.Api.BaseUrl) };
        async Task<(int Status, string Type, string Message)> Send(JsonObject body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = JsonContent.Create(body) };
            request.Headers.Add("x-api-key", harness.Api.ApiKey);
            request.Headers.Add("anthropic-version", "2023-06-01");
            using var response = await http.SendAsync(request);
            var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            return ((int)response.StatusCode, error["error"]?["type"]?.GetValue<string>() ?? "", error["error"]?["message"]?.GetValue<string>() ?? "");
        }

        Assert.Equal((400, "invalid_request_error", "messages.1.content.0: Invalid `signature` in `thinking` block"), await Send(altered));
        Assert.Equal((400, "invalid_request_error", "messages.1.content.0: Invalid `signature` in `thinking` block"), await Send(unsigned));
        var (status, _, message) = await Send(withoutThinking);
        Assert.Equal(400, status);
        Assert.StartsWith("messages.1.content.0.type: found `tool_use` where thinking is on", message, StringComparison.Ordinal);
        Assert.Equal("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024", (await Send(smallBudget)).Message);
        Assert.StartsWith("`max_tokens` must be greater than `thinking.budget_tokens`", (await Send(budgetOverMax)).Message, StringComparison.Ordinal);
        Assert.Equal("Thinking may not be enabled when tool_choice forces tool use.", (await Send(forced)).Message);
        Assert.Equal(6, harness.Api.Problems.Count);
    }

    [Fact]
    public async Task The_fake_api_refuses_context_management_without_its_beta_header_as_the_real_one_does()
    {
        await using var api = await Testing.Anthropic.FakeMessagesApi.StartAsync();
        api.Fallback = _ => Message(Text("ok"));
        using var http = new HttpClient { BaseAddress = new Uri(api.BaseUrl) };
        async Task<(int Status, string Body)> Send(string? beta, string type)
        {
            var body = new JsonObject
            {
                ["model"] = "claude-sonnet-4-5",
                ["max_tokens"] = 1_024,
                ["context_management"] = new JsonObject { ["edits"] = new JsonArray(new JsonObject { ["type"] = type }) },
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "hi" }) }),
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = JsonContent.Create(body) };
            request.Headers.Add("x-api-key", api.ApiKey);
            request.Headers.Add("anthropic-version", "2023-06-01");
            if (beta is not null)
            {
                request.Headers.Add("anthropic-beta", beta);
            }

            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var without = await Send(null, "clear_tool_uses_20250919");
        var unknown = await Send("context-management-2025-06-27", "clear_everything");
        var with = await Send("other-beta, context-management-2025-06-27", "clear_tool_uses_20250919");

        Assert.Equal(400, without.Status);
        Assert.Contains("context_management: Extra inputs are not permitted", without.Body, StringComparison.Ordinal);
        Assert.Equal(400, unknown.Status);
        Assert.Contains("does not match any of the expected tags", unknown.Body, StringComparison.Ordinal);
        Assert.Equal(200, with.Status);
    }

    [Fact]
    public async Task The_old_layout_with_a_made_up_overview_call_is_refused_once_thinking_is_on()
    {
        await using var api = await Testing.Anthropic.FakeMessagesApi.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(api.BaseUrl) };
        var body = new JsonObject
        {
            ["model"] = "claude-sonnet-4-5",
            ["max_tokens"] = 4_096,
            ["thinking"] = new JsonObject { ["type"] = "enabled", ["budget_tokens"] = 2_048 },
            ["messages"] = new JsonArray
            {
                new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "<task>x</task>" }) },
                new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray(new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_codybatch_overview", ["name"] = "str_replace_based_edit_tool", ["input"] = new JsonObject { ["command"] = "view", ["path"] = "/repo" } }) },
                new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = "toolu_codybatch_overview", ["content"] = "Overview" }) },
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = JsonContent.Create(body) };
        request.Headers.Add("x-api-key", api.ApiKey);
        request.Headers.Add("anthropic-version", "2023-06-01");

        using var response = await http.SendAsync(request);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("a final `assistant` message must start with a thinking block", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("claude-sonnet-4-5", 60_000, 64_000, 60_000)]
    [InlineData("claude-opus-4-1-20250805", 60_000, 32_000, 30_976)]
    [InlineData("claude-opus-4-1-20250805", 2_048, 10_240, 2_048)]
    [InlineData("claude-3-5-haiku-latest", null, 8_192, null)]
    public void Max_tokens_and_the_thinking_budget_stay_within_the_models_output_limit(string model, int? budget, int maxTokens, int? sentBudget)
    {
        var (max, thinking) = CodyBatch.Claude.Agent.OutputLimits.For(model, 8_192, budget);

        Assert.Equal(maxTokens, max);
        Assert.Equal(sentBudget, thinking?["budget_tokens"]!.GetValue<int>());
        Assert.True(thinking is null || thinking["budget_tokens"]!.GetValue<int>() < max);
    }

    private static JsonNode WithoutCacheControl(JsonNode content)
    {
        var copy = content.DeepClone();
        foreach (var block in copy.AsArray().OfType<JsonObject>())
        {
            block.Remove("cache_control");
        }

        return copy;
    }
}
