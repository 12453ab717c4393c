namespace CodyBatch.Tests;

public sealed class JobsApiTests : IDisposable
{
    private readonly ApiFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Creating_a_job_returns_201_with_its_location_and_the_job_runs_to_completion()
    {
        var client = _factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/jobs", new { prompt = "Append a line", repositories = new[] { "acme/api", "acme/web" }, title = "Lines", mode = "pullRequest" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        var id = created["id"]!.GetValue<string>();
        Assert.Equal($"/api/jobs/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(26, id.Length);
        Assert.Equal("Lines", created["title"]!.GetValue<string>());
        Assert.Equal("pullRequest", created["mode"]!.GetValue<string>());
        Assert.Equal("claude-sonnet-4-5", created["model"]!.GetValue<string>());
        Assert.Equal(2, created["repositories"]!.AsArray().Count);

        var job = await client.WaitForEndAsync(id);
        Assert.Equal("completed", job["status"]!.GetValue<string>());
        Assert.Equal(2, job["progress"]!["finished"]!.GetValue<int>());
        Assert.Equal(2000, job["usage"]!["inputTokens"]!.GetValue<long>());
        Assert.Equal(0.012m, job["usage"]!["costUsd"]!.GetValue<decimal>());
        var run = job["repositories"]![1]!;
        Assert.Equal("acme/web", run["repository"]!.GetValue<string>());
        Assert.Equal("succeeded", run["status"]!.GetValue<string>());
        Assert.True(run["wereChangesNecessary"]!.GetValue<bool>());
        Assert.Equal($"/api/jobs/{id}/repositories/acme/web/patch", run["patchUrl"]!.GetValue<string>());
        Assert.StartsWith("https://example.test/acme/web/pull/", run["pullRequestUrl"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(run["leaseOwner"]);
    }

    [Fact]
    public async Task The_patch_downloads_as_a_diff_file_and_the_thread_as_json()
    {
        var client = _factory.CreateClient();
        var id = (await (await client.CreateJobAsync("acme/api")).JsonAsync())["id"]!.GetValue<string>();
        await client.WaitForEndAsync(id);

        var patch = await client.GetAsync($"/api/jobs/{id}/repositories/acme/api/patch");
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal("text/x-diff", patch.Content.Headers.ContentType?.MediaType);
        Assert.Equal("acme-api.patch", patch.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("attachment", patch.Content.Headers.ContentDisposition?.DispositionType);
        var diff = await patch.Content.ReadAsStringAsync();
        Assert.StartsWith("diff --git a/README.md b/README.md", diff, StringComparison.Ordinal);
        Assert.Contains("+changed by acme/api", diff, StringComparison.Ordinal);

        var thread = await client.GetAsync($"/api/jobs/{id}/repositories/acme/api/thread");
        Assert.Equal("application/json", thread.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Append a line", (await thread.JsonAsync()).ToJsonString(), StringComparison.Ordinal);

        var none = await client.GetAsync($"/api/jobs/{id}/repositories/acme/other/patch");
        await AssertProblemAsync(none, HttpStatusCode.NotFound, $"Job {id} has no run for acme/other.");
    }

    [Fact]
    public async Task Six_repositories_and_other_mistakes_come_back_as_per_field_errors()
    {
        var client = _factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/jobs", new
        {
            prompt = "",
            repositories = new[] { "a/1", "a/2", "a/3", "a/4", "a/5", "not a repo" },
            mode = "merge",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        var errors = problem["errors"]!.AsObject();
        Assert.Contains("prompt", errors.Select(e => e.Key));
        Assert.Contains("mode", errors.Select(e => e.Key));
        Assert.Contains("5", errors["repositories"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("repositories[5]", errors.Select(e => e.Key));
    }

    [Theory]
    [InlineData("{\"prompt\": \"x\", \"repositories\": [\"acme/api\"", "body")]
    [InlineData("{\"prompt\": 5, \"repositories\": [\"acme/api\"]}", "prompt")]
    [InlineData("{\"prompt\": \"x\", \"repositories\": \"acme/api\"}", "repositories")]
    [InlineData("not json at all", "body")]
    [InlineData("{\"prompt\": \"x\", \"repositories\": [\"acme/api\", 7]}", "repositories[1]")]
    public async Task Malformed_json_and_wrong_types_are_400_problems_that_name_the_field(string body, string field)
    {
        var client = _factory.CreateClient();

        var response = await client.PostAsync("/api/jobs", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var problem = JsonNode.Parse(text)!;
        Assert.Contains(field, problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_refused_with_413()
    {
        var client = _factory.CreateClient();
        var prompt = new string('x', 1_100_000);

        var response = await client.PostAsJsonAsync("/api/jobs", new { prompt, repositories = new[] { "acme/api" } });

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, null);
    }

    [Fact]
    public async Task Unknown_or_malformed_job_ids_are_404_problems()
    {
        var client = _factory.CreateClient();
        var missing = "01kaaaaaaaaaaaaaaaaaaaaaaa";

        await AssertProblemAsync(await client.GetAsync($"/api/jobs/{missing}"), HttpStatusCode.NotFound, $"There is no job {missing}.");
        await AssertProblemAsync(await client.GetAsync("/api/jobs/..%2F..%2Fetc"), HttpStatusCode.NotFound, null);
        await AssertProblemAsync(await client.PostAsync($"/api/jobs/{missing}/cancel", null), HttpStatusCode.NotFound, null);
        await AssertProblemAsync(await client.PostAsync($"/api/jobs/{missing}/repositories/acme/api/retry", null), HttpStatusCode.NotFound, null);
        await AssertProblemAsync(await client.GetAsync($"/api/jobs/{missing}/repositories/acme/api/thread"), HttpStatusCode.NotFound, null);
    }

    [Fact]
    public async Task Listing_is_newest_first_in_stable_pages_filtered_by_status_and_text()
    {
        _factory.Agent = new ScriptedCodeAgent((_, _) => Task.FromResult(AgentOutcome.Succeeded(new AgentResult(false, "ok"), TokenUsage.Zero)));
        var client = _factory.CreateClient();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var response = await client.PostAsJsonAsync("/api/jobs", new { prompt = i % 2 == 0 ? $"Upgrade lodash {i}" : $"Fix tests {i}", repositories = new[] { "acme/api" } });
            ids.Add((await response.JsonAsync())["id"]!.GetValue<string>());
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync($"/api/jobs?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}")).JsonAsync();
            var items = page["items"]!.AsArray();
            Assert.True(items.Count <= 2);
            seen.AddRange(items.Select(j => j!["id"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        Assert.Equal(Enumerable.Reverse(ids), seen);

        var lodash = await (await client.GetAsync("/api/jobs?q=LODASH")).JsonAsync();
        Assert.Equal([ids[4], ids[2], ids[0]], lodash["items"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()));

        foreach (var id in ids)
        {
            await client.WaitForEndAsync(id);
        }

        var completed = await (await client.GetAsync("/api/jobs?status=completed")).JsonAsync();
        Assert.Equal(5, completed["items"]!.AsArray().Count);
        var queued = await (await client.GetAsync("/api/jobs?status=queued")).JsonAsync();
        Assert.Empty(queued["items"]!.AsArray());

        var bad = await client.GetAsync("/api/jobs?status=done&limit=500&cursor=zzz");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.JsonAsync())["errors"]!.AsObject().Select(e => e.Key).Order();
        Assert.Equal(["cursor", "limit", "status"], errors);
    }

    [Fact]
    public async Task Cancel_stops_the_job_and_retry_runs_a_cancelled_repository_again()
    {
        var hanging = ScriptedCodeAgent.Hanging();
        var append = ScriptedCodeAgent.AppendingTo("README.md");
        var release = 0;
        _factory.Agent = new ScriptedCodeAgent((request, ct) => Volatile.Read(ref release) == 0 ? hanging.RunAsync(request, ct) : append.RunAsync(request, ct));
        var client = _factory.CreateClient();
        var id = (await (await client.CreateJobAsync("acme/api", "acme/web")).JsonAsync())["id"]!.GetValue<string>();
        await client.WaitForJobAsync(id, job => job["repositories"]!.AsArray().All(r => r!["status"]!.GetValue<string>() == "analyzing"));

        var cancel = await client.PostAsync($"/api/jobs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var cancelled = await client.WaitForEndAsync(id);
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        Assert.All(cancelled["repositories"]!.AsArray(), r =>
        {
            Assert.Equal("cancelled", r!["status"]!.GetValue<string>());
            Assert.NotNull(r["threadUrl"]);
        });

        Volatile.Write(ref release, 1);
        var retry = await client.PostAsync($"/api/jobs/{id}/repositories/acme/web/retry", null);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var job = await client.WaitForEndAsync(id);
        Assert.Equal("succeeded", job["repositories"]![1]!["status"]!.GetValue<string>());
        Assert.Equal("cancelled", job["repositories"]![0]!["status"]!.GetValue<string>());
        // The job's status follows its runs: one succeeded now, so it completed, with one run cancelled.
        Assert.Equal("completed", job["status"]!.GetValue<string>());
        Assert.Equal(1, job["outcomes"]!["succeeded"]!.GetValue<int>());
        Assert.Equal(1, job["outcomes"]!["cancelled"]!.GetValue<int>());

        var again = await client.PostAsync($"/api/jobs/{id}/repositories/acme/web/retry", null);
        await AssertProblemAsync(again, HttpStatusCode.Conflict, "The run for acme/web is succeeded; only failed or cancelled runs can be retried.");
    }

    [Fact]
    public async Task Health_reports_the_store_and_the_openapi_document_describes_the_api()
    {
        var client = _factory.CreateClient();

        var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("application/json", health.Content.Headers.ContentType?.MediaType);
        var body = await health.JsonAsync();
        Assert.Equal("healthy", body["status"]!.GetValue<string>());
        Assert.Equal("healthy", body["checks"]!["store"]!["status"]!.GetValue<string>());
        Assert.Equal("The job store answers.", body["checks"]!["store"]!["description"]!.GetValue<string>());

        var document = await (await client.GetAsync("/openapi/v1.json")).JsonAsync();
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/jobs", paths);
        Assert.Contains("/api/jobs/{id}", paths);
        Assert.Contains("/api/jobs/{id}/cancel", paths);
        Assert.Contains("/api/jobs/{id}/repositories/{owner}/{name}/retry", paths);
        Assert.Contains("/api/jobs/{id}/repositories/{owner}/{name}/patch", paths);
        Assert.Contains("/api/jobs/{id}/repositories/{owner}/{name}/thread", paths);
        var schemas = document["components"]!["schemas"]!.ToJsonString();
        Assert.Contains("\"publishing\"", schemas, StringComparison.Ordinal);
        Assert.Contains("\"pullRequest\"", schemas, StringComparison.Ordinal);
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? detail)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.NotNull(problem["title"]);
        if (detail is not null)
        {
            Assert.Equal(detail, problem["detail"]!.GetValue<string>());
        }
    }
}
