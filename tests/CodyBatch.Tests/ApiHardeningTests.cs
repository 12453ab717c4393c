using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace CodyBatch.Tests;

/// <summary>Hostile or sloppy requests, each answered with the right 4xx and problem details.</summary>
public sealed class ApiHardeningTests(ServeProcess server) : IDisposable, IClassFixture<ServeProcess>
{
    private readonly ApiFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData("acme\n/api")]
    [InlineData("acme/api\n")]
    [InlineData("acme/a\npi")]
    [InlineData("acme\r/api")]
    [InlineData("acme/api\u0000")]
    public async Task Control_characters_in_repository_names_are_refused(string repository)
    {
        var response = await _factory.CreateClient().PostAsJsonAsync("/api/jobs", new { prompt = "Fix", repositories = new[] { "acme/api", repository } });

        await JobsApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, null);
        Assert.NotNull((await response.JsonAsync())["errors"]!["repositories[1]"]);
    }

    [Theory]
    [InlineData("title", "Fix\u0000it")]
    [InlineData("title", "Fix\nit")]
    [InlineData("prompt", "Fix\u0000 the bug")]
    [InlineData("prompt", "Fix \u001b[31m the bug")]
    public async Task Control_characters_in_titles_and_prompts_are_refused(string field, string value)
    {
        var body = new Dictionary<string, object> { ["prompt"] = "Fix the bug", ["repositories"] = new[] { "acme/api" }, [field] = value };

        var response = await _factory.CreateClient().PostAsJsonAsync("/api/jobs", body);

        await JobsApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, null);
        Assert.Contains("control character", (await response.JsonAsync())["errors"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prompt_may_still_have_line_breaks_and_tabs()
    {
        var response = await _factory.CreateClient().PostAsJsonAsync("/api/jobs", new { prompt = "Fix:\r\n\t- the bug", repositories = new[] { "acme/api" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("completed,running")]
    [InlineData("completed, failed")]
    [InlineData("2")]
    [InlineData("Completed|Running")]
    public async Task A_status_filter_is_one_status_name(string status)
    {
        var response = await _factory.CreateClient().GetAsync($"/api/jobs?status={Uri.EscapeDataString(status)}");

        await JobsApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, null);
        Assert.NotNull((await response.JsonAsync())["errors"]!["status"]);
    }

    [Theory]
    [InlineData("DELETE", "/api/jobs")]
    [InlineData("PUT", "/api/jobs")]
    [InlineData("PATCH", "/api/jobs/01kaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("GET", "/api/jobs/01kaaaaaaaaaaaaaaaaaaaaaaa/cancel")]
    public async Task A_wrong_method_is_405_with_allow(string method, string path)
    {
        using var web = new TempDirectory("codybatch-web");
        File.WriteAllText(web.Combine("index.html"), "<!doctype html><title>Cody Batch</title>");
        _factory.Settings["CodyBatch:WebRoot"] = web.Path;

        var response = await _factory.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await JobsApiTests.AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed, null);
        Assert.NotEmpty(response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task A_wrong_content_type_is_415(string contentType)
    {
        using var web = new TempDirectory("codybatch-web");
        File.WriteAllText(web.Combine("index.html"), "<!doctype html><title>Cody Batch</title>");
        _factory.Settings["CodyBatch:WebRoot"] = web.Path;
        var content = new StringContent("""{"prompt":"Fix","repositories":["acme/api"]}""", Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        var response = await _factory.CreateClient().PostAsync("/api/jobs", content);

        await JobsApiTests.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, null);
    }

    [Fact]
    public async Task A_url_longer_than_the_api_reads_is_414_with_problem_details_from_the_real_server()
    {
        var client = server.Client;

        var response = await client.GetAsync($"/api/jobs?q={new string('a', 20_000)}");

        await JobsApiTests.AssertProblemAsync(response, HttpStatusCode.RequestUriTooLong, null);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Theory]
    [InlineData("GET /api/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nNo colon here\r\n\r\n", 400)]
    [InlineData("NOT AN HTTP REQUEST LINE\r\n\r\n", 400)]
    [InlineData("GET /api/jobs HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n", 505)]
    [InlineData("GET /api/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {big}\r\n\r\n", 431)]
    public async Task Requests_kestrel_refuses_itself_are_answered_with_problem_details(string request, int status)
    {
        var client = server.Client;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.Replace("{big}", new string('x', 40_000), StringComparison.Ordinal)));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var (head, body) = (answer[..answer.IndexOf("\r\n\r\n", StringComparison.Ordinal)], answer[(answer.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
        Assert.StartsWith($"HTTP/1.1 {status} ", head, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/problem+json", head, StringComparison.Ordinal);
        Assert.Contains($"Content-Length: {Encoding.UTF8.GetByteCount(body)}", head, StringComparison.Ordinal);
        Assert.Contains("X-Content-Type-Options: nosniff", head, StringComparison.Ordinal);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]!.GetValue<string>()));

        // Everything else passes through untouched, including the app's own problems.
        var ok = await client.GetAsync("/api/jobs?status=completed,running");
        await JobsApiTests.AssertProblemAsync(ok, HttpStatusCode.BadRequest, null);
    }

    [Theory]
    [InlineData("POST", "/api/jobs/../cancel")]
    [InlineData("POST", "/api/jobs/%2e%2e/cancel")]
    [InlineData("POST", "/api/jobs/%2E%2E/cancel")]
    [InlineData("GET", "/api/jobs/./../cancel")]
    [InlineData("DELETE", "/api/jobs/01kaaaaaaaaaaaaaaaaaaaaaaa/../../cancel")]
    public async Task A_path_with_dot_segments_is_404_with_problem_details_from_the_real_server(string method, string target)
    {
        // Sent byte for byte: HttpClient would remove the dot segments before they reach the server.
        var (head, body) = await RawAsync(server.Port, $"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 404 ", head, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/problem+json", head, StringComparison.Ordinal);
        Assert.DoesNotContain("Allow:", head, StringComparison.Ordinal);
        Assert.Equal(404, JsonNode.Parse(body)!["status"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("POST", "/api/jobs/../cancel")]
    [InlineData("POST", "/api/jobs/%2e%2e/cancel")]
    [InlineData("GET", "/api/jobs/%2E%2E")]
    [InlineData("POST", "/api/jobs/./cancel")]
    public async Task A_path_with_dot_segments_is_404_even_where_no_server_normalised_it(string method, string target)
    {
        using var web = new TempDirectory("codybatch-web");
        File.WriteAllText(web.Combine("index.html"), "<!doctype html><title>Cody Batch</title>");
        _factory.Settings["CodyBatch:WebRoot"] = web.Path;
        _ = _factory.CreateClient();

        // The in-memory server takes the path as given, so the API sees the segments themselves.
        var context = await _factory.Server.SendAsync(c =>
        {
            c.Request.Method = method;
            c.Request.Path = PathString.FromUriComponent(target);
        });

        Assert.Equal(404, context.Response.StatusCode);
        Assert.StartsWith("application/problem+json", context.Response.ContentType, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/api/cancel")]
    [InlineData("DELETE", "/api/no/such/route")]
    public async Task An_api_path_no_route_has_is_404_under_any_method(string method, string path)
    {
        using var web = new TempDirectory("codybatch-web");
        File.WriteAllText(web.Combine("index.html"), "<!doctype html><title>Cody Batch</title>");
        _factory.Settings["CodyBatch:WebRoot"] = web.Path;

        var response = await _factory.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await JobsApiTests.AssertProblemAsync(response, HttpStatusCode.NotFound, null);
        Assert.Empty(response.Content.Headers.Allow);
    }

    [Fact]
    public async Task An_unpriced_model_is_refused_with_the_setting_that_prices_it()
    {
        var response = await _factory.CreateClient().PostAsJsonAsync("/api/jobs", new { prompt = "Fix", repositories = new[] { "acme/api" }, model = "claude-free-9" });

        await JobsApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, null);
        var message = (await response.JsonAsync())["errors"]!["model"]![0]!.GetValue<string>();
        Assert.Contains("\"claude-free-9\" has no price", message, StringComparison.Ordinal);
        Assert.Contains("CodyBatch:Agent:Prices:claude-free-9:Input", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_priced_in_the_settings_is_accepted()
    {
        _factory.Settings["CodyBatch:Agent:Prices:claude-free-9:Input"] = "1";
        _factory.Settings["CodyBatch:Agent:Prices:claude-free-9:Output"] = "2";

        var response = await _factory.CreateClient().PostAsJsonAsync("/api/jobs", new { prompt = "Fix", repositories = new[] { "acme/api" }, model = "claude-free-9" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Job_creation_is_rate_limited_per_key_with_retry_after()
    {
        _factory.Settings["CodyBatch:ApiKeys:0"] = "first-key-0123456789";
        _factory.Settings["CodyBatch:ApiKeys:1"] = "second-key-abcdefghij";
        _factory.Settings["CodyBatch:RateLimit:Burst"] = "3";
        _factory.Settings["CodyBatch:RateLimit:JobsPerMinute"] = "2";
        var first = _factory.CreateClient();
        first.DefaultRequestHeaders.Authorization = new("Bearer", "first-key-0123456789");
        var second = _factory.CreateClient();
        second.DefaultRequestHeaders.Authorization = new("Bearer", "second-key-abcdefghij");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add((await first.CreateJobAsync("acme/api")).StatusCode);
        }

        var refused = await first.CreateJobAsync("acme/api");

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], answers);
        await JobsApiTests.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, null);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 30);
        Assert.Contains("CodyBatch:RateLimit", (await refused.JsonAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, (await second.CreateJobAsync("acme/api")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/jobs")).StatusCode);
    }

    [Fact]
    public async Task The_list_carries_bounded_excerpts_and_the_job_the_whole_summary()
    {
        var summary = string.Concat(Enumerable.Repeat("A long summary line. ", 1600));
        _factory.Agent = new ScriptedCodeAgent((request, _) =>
            Task.FromResult(AgentOutcome.Succeeded(new AgentResult(false, summary), Core.Runs.TokenUsage.Zero)));
        var client = _factory.CreateClient();
        var prompt = string.Concat(Enumerable.Repeat("Check everything. ", 1000));
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var created = await client.PostAsJsonAsync("/api/jobs", new { prompt, repositories = new[] { "acme/api", "acme/web", "acme/docs" } });
            ids.Add((await created.JsonAsync())["id"]!.GetValue<string>());
        }

        foreach (var id in ids)
        {
            await client.WaitForEndAsync(id);
        }

        var page = await client.GetAsync("/api/jobs?limit=100");
        var text = await page.Content.ReadAsStringAsync();
        var list = await page.JsonAsync();
        var job = await (await client.GetAsync($"/api/jobs/{ids[0]}")).JsonAsync();

        Assert.True(text.Length < 16_000, $"the page has {text.Length:N0} characters for 3 jobs");
        foreach (var item in list["items"]!.AsArray())
        {
            Assert.True(item!["promptTruncated"]!.GetValue<bool>());
            Assert.Equal(281, item["prompt"]!.GetValue<string>().Length);
            foreach (var run in item["repositories"]!.AsArray())
            {
                Assert.Equal(281, run!["summary"]!.GetValue<string>().Length);
                Assert.EndsWith("…", run["summary"]!.GetValue<string>(), StringComparison.Ordinal);
                Assert.True(run["summaryTruncated"]!.GetValue<bool>());
                Assert.Null(run["patchUrl"]);
            }
        }

        Assert.Equal(summary, job["repositories"]![0]!["summary"]!.GetValue<string>());
        Assert.Equal(prompt.Trim(), job["prompt"]!.GetValue<string>());
    }

    private static async Task<(string Head, string Body)> RawAsync(int port, string request)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var split = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        // A chunked body's framing surrounds the one JSON document.
        var body = answer[(split + 4)..];
        return (answer[..split], body.Contains('{', StringComparison.Ordinal) ? body[body.IndexOf('{', StringComparison.Ordinal)..(body.LastIndexOf('}') + 1)] : body);
    }
}
