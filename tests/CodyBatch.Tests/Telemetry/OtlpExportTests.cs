using CodyBatch.Testing.Telemetry;
using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Tests.Telemetry;

/// <summary>
/// One job end to end — the real host, the real Claude agent against the fake Messages API, the real GitHub host
/// against the fake GitHub, checks in the sandbox — exporting over OTLP/HTTP to a receiver in the test, which
/// decodes the protobuf it gets: the span tree of the job and the metrics' values.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class OtlpExportTests : ClaudeOnFakeGitHub
{
    private const string Prompt = "Mention the licence in the README (telemetry-prompt-7f3a)";
    private const string FileText = "# App\nsecret-file-content-91c2\n";
    private const string WebhookSecret = "whsec-telemetry-5be1";
    private static readonly FakeUsage PerResponse = new(InputTokens: 1200, OutputTokens: 80, CacheReadTokens: 300, CacheWriteTokens: 40);

    private OtlpReceiver _receiver = null!;

    protected override ClaudeOptions AgentOptions => new() { RetryBackoff = TimeSpan.FromMilliseconds(10) };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _receiver = await OtlpReceiver.StartAsync();
        Factory.Settings["CodyBatch:Telemetry:OtlpEndpoint"] = _receiver.Endpoint;
        Factory.Settings["CodyBatch:GitHub:WebhookSecret"] = WebhookSecret;
        Factory.Settings["CodyBatch:Checks:Timeout"] = "00:00:30";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_jobs_trace_reaches_the_receiver_as_job_runs_stages_requests_tools_and_calls_with_the_ids_and_no_content()
    {
        var (id, job) = await RunOneJobAsync();

        var spans = _receiver.Spans;
        Assert.Empty(_receiver.Problems);
        var root = Assert.Single(spans, s => s.Name == "job" && s.Text("codybatch.job.id") == id);
        Assert.Null(root.ParentSpanId);
        Assert.Equal("CodyBatch", root.Scope);
        Assert.Equal("codybatch", root.Resource["service.name"]);
        Assert.Equal("completed", root.Text("codybatch.status"));
        var trace = spans.Where(s => s.TraceId == root.TraceId).ToList();
        var byId = trace.ToDictionary(s => s.SpanId);
        Assert.All(trace.Where(s => s != root), s => Assert.True(s.ParentSpanId is { } p && byId.ContainsKey(p), $"{s.Name} has a parent outside the job's trace"));
        IEnumerable<OtlpSpan> ChildrenOf(OtlpSpan parent) => trace.Where(s => s.ParentSpanId == parent.SpanId);

        var runs = ChildrenOf(root).ToList();
        Assert.Equal(["octo/app", "octo/lib"], runs.Select(r => r.Text("codybatch.run.repository")).Order());
        foreach (var run in runs)
        {
            var repository = run.Text("codybatch.run.repository")!;
            Assert.Equal("run", run.Name);
            Assert.Equal("succeeded", run.Text("codybatch.status"));
            Assert.Equal(1L, run.Attributes["codybatch.run.attempt"]);

            // Every span beneath the run says which run it belongs to. (The fakes are servers in this process: the host's
            // ASP.NET Core instrumentation sees their side of each request too, as a server span beneath the client's.)
            var beneath = Descendants(trace, run).Where(s => !(s.Scope == "Microsoft.AspNetCore" && s.Kind == 2)).ToList();
            Assert.All(beneath, s => Assert.True(s.Text("codybatch.job.id") == id && s.Text("codybatch.run.repository") == repository, $"{s.Name} lacks the run's ids"));

            var stages = ChildrenOf(run).ToList();
            Assert.Equal(["snapshot", "setup", "checks before", "agent", "patch", "checks after", "publish"], stages.OrderBy(s => s.StartTimeUnixNano).Select(s => s.Name));
            var stage = stages.ToDictionary(s => s.Name);

            // GitHub: the call spans in the snapshot and publish stages, each with its HTTP requests to the fake GitHub beneath it.
            foreach (var name in (string[])["snapshot", "publish"])
            {
                var calls = ChildrenOf(stage[name]).Where(s => s.Name == "github").ToList();
                Assert.NotEmpty(calls);
                Assert.All(calls, c => Assert.Contains(ChildrenOf(c), h => h.Kind == 3 && h.Text("url.full")?.StartsWith(GitHubApi.BaseUrl, StringComparison.Ordinal) == true));
            }

            Assert.Contains(ChildrenOf(stage["snapshot"]), c => c.Text("codybatch.github.call") == $"read {repository}");

            // Claude: one chat span per turn with the tokens the fake returned, and a span per tool call, under the agent stage.
            var agentChildren = ChildrenOf(stage["agent"]).ToList();
            var chats = agentChildren.Where(s => s.Name.StartsWith("chat ", StringComparison.Ordinal)).ToList();
            Assert.Equal(3, chats.Count);
            Assert.All(chats, c =>
            {
                Assert.Equal(3, c.Kind);
                Assert.Equal(job["model"]!.GetValue<string>(), c.Text("gen_ai.request.model"));
                Assert.Equal(PerResponse.InputTokens, c.Attributes["gen_ai.usage.input_tokens"]);
                Assert.Equal(PerResponse.OutputTokens, c.Attributes["gen_ai.usage.output_tokens"]);
                Assert.Contains(ChildrenOf(c), h => h.Kind == 3 && h.Text("url.full")?.StartsWith(Claude.BaseUrl, StringComparison.Ordinal) == true);
            });
            Assert.Equal(["1", "2", "3"], chats.Select(c => c.Text("codybatch.turn")!).Order());
            Assert.Equal(
                ["execute_tool repository_overview", "execute_tool str_replace_based_edit_tool", "execute_tool submit_result"],
                agentChildren.Where(s => s.Name.StartsWith("execute_tool ", StringComparison.Ordinal)).OrderBy(s => s.StartTimeUnixNano).Select(s => s.Name));

            // The sandbox: one session of checks before and one after.
            Assert.Equal("sandbox checks", Assert.Single(ChildrenOf(stage["checks before"])).Name);
            Assert.Equal("sandbox checks", Assert.Single(ChildrenOf(stage["checks after"])).Name);
            Assert.Equal("ok", Assert.Single(ChildrenOf(stage["checks after"])).Text("codybatch.outcome"));
        }

        // No prompt, file content or secret anywhere: names and attributes of every span the receiver got.
        var everything = string.Join('\n', spans.SelectMany(s => s.Attributes.Select(a => $"{a.Key}={Flatten(a.Value)}").Append(s.Name)));
        foreach (var forbidden in (string[])[Prompt, "telemetry-prompt-7f3a", "secret-file-content-91c2", GitHubApi.Token, Claude.ApiKey, WebhookSecret])
        {
            Assert.DoesNotContain(forbidden, everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_metrics_reach_the_receiver_with_the_runs_outcomes_the_tokens_and_dollars_the_fake_returned_and_the_waits()
    {
        var (_, job) = await RunOneJobAsync();

        Assert.Empty(_receiver.Problems);
        var model = job["model"]!.GetValue<string>();
        Assert.Equal(2, _receiver.Latest("codybatch.runs", ("codybatch.status", "succeeded"))?.Value);
        Assert.Null(_receiver.Latest("codybatch.runs", ("codybatch.status", "failed")));
        var responses = Claude.Requests.Count - 1; // the first was answered 429
        Assert.Equal(6, responses);
        foreach (var (type, each) in (IEnumerable<(string, long)>)[("input", PerResponse.InputTokens), ("output", PerResponse.OutputTokens), ("cache_read", PerResponse.CacheReadTokens), ("cache_write", PerResponse.CacheWriteTokens)])
        {
            var tokens = _receiver.Latest("codybatch.tokens", ("gen_ai.request.model", model), ("gen_ai.token.type", type));
            Assert.True(tokens is { Type: "sum", Monotonic: true, Unit: "{token}" }, $"{type}: {tokens}");
            Assert.Equal(responses * each, tokens.Value);
        }

        var cost = _receiver.Latest("codybatch.cost", ("gen_ai.request.model", model));
        Assert.Equal("USD", cost?.Unit);
        Assert.Equal(job["usage"]!["costUsd"]!.GetValue<double>(), cost!.Value, 9);
        Assert.True(cost.Value > 0);

        Assert.Equal(2UL, _receiver.Latest("codybatch.queue.wait")?.Count);
        var limited = _receiver.Latest("codybatch.rate_limit.wait", ("codybatch.service", "anthropic"), ("codybatch.rate_limit.kind", "rate_limit"));
        Assert.Equal(1UL, limited?.Count);
        Assert.Equal(4UL, _receiver.Latest("codybatch.sandbox.duration", ("codybatch.sandbox.kind", "checks"), ("codybatch.outcome", "ok"))?.Count);
        Assert.Equal(1, _receiver.Latest("codybatch.webhook.deliveries", ("github.event", "ping"), ("codybatch.outcome", "ignored"))?.Value);
        Assert.Equal(1, _receiver.Latest("codybatch.webhook.deliveries", ("github.event", "unverified"), ("codybatch.outcome", "bad_signature"))?.Value);
        Assert.NotNull(_receiver.Latest("codybatch.queue.depth"));
    }

    // Two repositories, three turns each (the very first request refused once with 429), checks before and after,
    // a pull request each; then a verified and a forged webhook delivery; then the server stops, which flushes.
    private async Task<(string Id, JsonNode Job)> RunOneJobAsync()
    {
        GitHubApi.Add("octo", "app").With("README.md", FileText);
        GitHubApi.Add("octo", "lib").With("README.md", FileText);
        Claude.Enqueue(Error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", new Dictionary<string, string> { ["retry-after"] = "0" }));
        Claude.Fallback = request => ((MessageReply)(request.Body["messages"]!.AsArray().Count(m => m!["role"]!.GetValue<string>() == "assistant") switch
        {
            0 => Message(ToolUse("repository_overview", [])),
            1 => Message(ToolUse("str_replace_based_edit_tool", new JsonObject { ["command"] = "str_replace", ["path"] = "/repo/README.md", ["old_str"] = "# App", ["new_str"] = "# App (MIT)" })),
            _ => Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = true, ["summary"] = "Mentions the licence.", ["pullRequestTitle"] = "Licence" })),
        })).WithUsage(PerResponse);
        var client = Factory.CreateClient();

        var created = await client.PostAsJsonAsync("/api/jobs", new { prompt = Prompt, repositories = new[] { "octo/app", "octo/lib" }, checks = new[] { "grep -q App README.md" } });
        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
        var job = await client.WaitForEndAsync(id);
        Assert.True(job["status"]!.GetValue<string>() == "completed" && job["repositories"]!.AsArray().All(r => r!["status"]!.GetValue<string>() == "succeeded"), job.ToJsonString());
        Assert.Empty(Claude.Problems);

        GitHubApi.UseWebhook(client, "/api/webhooks/github", WebhookSecret);
        const string ping = """{"zen":"Keep it logically awesome.","hook_id":424242}""";
        Assert.Equal(200, (await GitHubApi.SendWebhookAsync("d-1", "ping", ping, FakeGitHubApi.Sign(WebhookSecret, ping))).Status);
        Assert.Equal(401, (await GitHubApi.SendWebhookAsync("d-2", "ping", ping, FakeGitHubApi.Sign("not-the-secret", ping))).Status);

        // Stopping the server waits for the runs' last spans and flushes both signals (the exporter is disposed last).
        await Factory.DisposeAsync();
        await HangGuard.Expect(_receiver.HandledAsync(), "the receiver to finish reading what the exporter sent");
        return (id, job);
    }

    private static IEnumerable<OtlpSpan> Descendants(IReadOnlyList<OtlpSpan> trace, OtlpSpan parent)
    {
        foreach (var child in trace.Where(s => s.ParentSpanId == parent.SpanId))
        {
            yield return child;
            foreach (var below in Descendants(trace, child))
            {
                yield return below;
            }
        }
    }

    private static string Flatten(object? value) => value is string[] array ? string.Join(",", array) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
