using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Claude.Tests;

public sealed class BudgetAndErrorTests
{
    private static readonly JsonObject ViewRepo = new() { ["command"] = "view", ["path"] = "/repo" };

    private static FakeReplyFactory Looking => () => Message(ToolUse("str_replace_based_edit_tool", ViewRepo.DeepClone().AsObject()));

    private delegate Testing.Anthropic.FakeReply FakeReplyFactory();

    private static Testing.Anthropic.FakeReply Done() =>
        Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = false, ["summary"] = "Fine." }));

    [Fact]
    public async Task The_turn_budget_ends_the_run_with_its_reason_and_keeps_the_thread()
    {
        await using var harness = await AgentHarness.StartAsync(options: new ClaudeOptions { MaxTurns = 3 });
        harness.Api.Fallback = _ => Looking();

        var outcome = await harness.RunAsync();

        Assert.Null(outcome.Result);
        Assert.Equal("The run used its 3 turns (CodyBatch:Agent:MaxTurns) without Claude submitting a result.", outcome.FailureReason);
        Assert.Equal(3, harness.Api.Requests.Count);
        Assert.True(outcome.Usage.InputTokens + outcome.Usage.CacheWriteTokens > 0);
        Assert.Equal("stopped", harness.ThreadJson()["entries"]!.AsArray()[^1]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_token_and_cost_budgets_end_the_run()
    {
        await using (var tokens = await AgentHarness.StartAsync(options: new ClaudeOptions { MaxTokens = 1_000 }))
        {
            tokens.Api.Fallback = _ => Looking();
            var outcome = await tokens.RunAsync();
            Assert.Matches(@"^The run used [\d,]+ tokens, its budget of 1,000 \(CodyBatch:Agent:MaxTokens\)", outcome.FailureReason);
            Assert.Single(tokens.Api.Requests);
        }

        await using var cost = await AgentHarness.StartAsync(options: new ClaudeOptions { MaxCostUsd = 0.01m });
        cost.Api.Fallback = _ => Looking();
        var costly = await cost.RunAsync();
        Assert.Matches(@"^The run cost \$0\.0\d, its budget of \$0\.01 \(CodyBatch:Agent:MaxCostUsd\)", costly.FailureReason);
        Assert.True(costly.Usage.CostUsd >= 0.01m);
    }

    [Fact]
    public async Task A_429_with_retry_after_above_a_minute_is_waited_out_and_retried()
    {
        await using var harness = await AgentHarness.StartAsync();
        harness.Api.Enqueue(
            Error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", new Dictionary<string, string> { ["retry-after"] = "120" }),
            Done());

        var outcome = await harness.RunAsync();

        Assert.NotNull(outcome.Result);
        Assert.Empty(harness.Api.Problems);
        Assert.Equal(2, harness.Api.Requests.Count);
        Assert.Contains(TimeSpan.FromSeconds(120), harness.Time.Delays);
        var retry = harness.ThreadJson()["entries"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "retry")!;
        Assert.Equal(429, retry["status"]!.GetValue<int>());
        Assert.Equal(120, retry["waitSeconds"]!.GetValue<double>());
    }

    [Fact]
    public async Task Overloaded_529s_are_retried_with_backoff_until_the_cap_then_the_run_fails()
    {
        await using var harness = await AgentHarness.StartAsync(options: new ClaudeOptions { MaxRetries = 3, RetryBackoff = TimeSpan.FromSeconds(2) });
        harness.Api.Fallback = _ => Error(529, "overloaded_error", "Overloaded");

        var failure = await Assert.ThrowsAsync<RunFailedException>(() => harness.RunAsync());

        Assert.Equal("Claude could not answer: Claude was overloaded (529), 4 times in a row. The run stopped; retry it later.", failure.Message);
        Assert.Equal(4, harness.Api.Requests.Count);
        var waits = harness.Time.Delays.Where(d => d >= TimeSpan.FromSeconds(1)).ToList();
        Assert.Equal(3, waits.Count);
        Assert.True(waits[2] > waits[0], "the backoff grows");
    }

    [Fact]
    public async Task A_retry_after_beyond_the_runs_retry_limit_fails_at_once_and_names_the_setting()
    {
        await using var harness = await AgentHarness.StartAsync(options: new ClaudeOptions { MaxRetryWait = TimeSpan.FromMinutes(5) });
        harness.Api.Enqueue(Error(429, "rate_limit_error", "Rate limited", new Dictionary<string, string> { ["retry-after"] = "3600" }));

        var failure = await Assert.ThrowsAsync<RunFailedException>(() => harness.RunAsync());

        Assert.Contains("asked to wait 60 minutes", failure.Message, StringComparison.Ordinal);
        Assert.Contains("CodyBatch:Agent:MaxRetryWait", failure.Message, StringComparison.Ordinal);
        Assert.Single(harness.Api.Requests);
    }

    [Fact]
    public async Task A_spend_limit_429_is_not_retried()
    {
        await using var harness = await AgentHarness.StartAsync();
        harness.Api.Enqueue(Error(
            429, "rate_limit_error", "Your organization has reached its monthly spend limit.", new Dictionary<string, string> { ["retry-after"] = "5" },
            new JsonObject { ["error_code"] = "enforced_spend_limit_reached" }));

        var failure = await Assert.ThrowsAsync<RunFailedException>(() => harness.RunAsync());

        Assert.StartsWith("Anthropic refused the request because the organization's spend limit is reached", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Raise the limit in the Anthropic console", failure.Message, StringComparison.Ordinal);
        Assert.Single(harness.Api.Requests);
    }

    [Theory]
    [InlineData(400, "invalid_request_error", "prompt is too long: 250000 tokens > 200000 maximum", "Anthropic refused the request (400 invalid_request_error (prompt is too long")]
    [InlineData(401, "authentication_error", "invalid x-api-key", "Anthropic did not accept the API key (401 (invalid x-api-key)); set ANTHROPIC_API_KEY")]
    [InlineData(404, "not_found_error", "model: claude-nope", "Anthropic did not find what was asked for (404 (model: claude-nope)); check the model name")]
    public async Task Request_errors_are_not_retried_and_say_what_to_do(int status, string type, string message, string expected)
    {
        await using var harness = await AgentHarness.StartAsync();
        harness.Api.Enqueue(Error(status, type, message));

        var failure = await Assert.ThrowsAsync<RunFailedException>(() => harness.RunAsync());

        Assert.StartsWith(expected, failure.Message, StringComparison.Ordinal);
        Assert.Single(harness.Api.Requests);
    }

    [Fact]
    public async Task A_stalled_stream_is_abandoned_and_the_request_retried()
    {
        var clock = new ObservedClock();
        await using var harness = await AgentHarness.StartAsync(options: new ClaudeOptions { StallTimeout = TimeSpan.FromMinutes(2), RetryBackoff = TimeSpan.Zero });
        harness.Clock = clock;
        harness.Api.Enqueue(Stall(), Done());

        var run = harness.RunAsync();
        // The stall timer is armed as the request goes out and again at the stream's first event; the
        // clock then moves by exactly the stall limit (longer than a test may wait in real time), so
        // only a timer on the run's clock, armed for that limit, can end the stream.
        await clock.ArmedAsync(TimeSpan.FromMinutes(2));
        await clock.ArmedAsync(TimeSpan.FromMinutes(2));
        clock.Advance(TimeSpan.FromMinutes(2));
        var outcome = await run.Expect("The run after the stalled stream");

        Assert.NotNull(outcome.Result);
        Assert.Equal(2, harness.Api.Requests.Count);
        var retry = harness.ThreadJson()["entries"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "retry")!;
        Assert.Equal("the response stream sent nothing for 2 minutes", retry["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_run_that_keeps_ending_without_submitting_fails_with_a_reason()
    {
        await using var harness = await AgentHarness.StartAsync();
        harness.Api.Fallback = _ => Message(Text("I think it is fine."));

        var outcome = await harness.RunAsync();

        Assert.Equal("Claude stopped without calling submit_result, after being reminded; the run has no result.", outcome.FailureReason);
        Assert.Equal(3, harness.Api.Requests.Count);
        Assert.Contains("finish by calling submit_result", harness.Api.Requests[1].Body["messages"]!.AsArray()[^1]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_stops_the_run_and_the_thread_so_far_is_kept()
    {
        await using var harness = await AgentHarness.StartAsync(options: new ClaudeOptions { StallTimeout = TimeSpan.FromMinutes(5) });
        harness.Api.Enqueue(Looking(), Stall());
        using var cancel = new CancellationTokenSource();

        var run = harness.RunAsync(cancellationToken: cancel.Token);
        await harness.Api.RequestsReceivedAsync(2);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Contains(harness.ThreadJson()["entries"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "response");
    }
}
