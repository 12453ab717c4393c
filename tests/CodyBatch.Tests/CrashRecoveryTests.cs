using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Tests;

/// <summary>The server process killed with SIGKILL in the middle of jobs, then started again on the same data folder.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private static readonly string[] Repositories = ["acme/a", "acme/b", "acme/c", "acme/d", "acme/e"];
    private readonly TempDirectory _data = new("codybatch-crash");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Killing_the_server_mid_job_loses_no_job_and_no_finished_result()
    {
        string first, second;
        Dictionary<string, (string FinishedAt, string Patch)> finishedBeforeKill;
        using (var server = StartServer())
        {
            using var client = await ReadyClientAsync(server);
            first = await CreateAsync(client);
            second = await CreateAsync(client);

            // Wait until some runs have finished and others are in the middle of their work.
            var job = await client.WaitForJobAsync(first, j =>
                Runs(j).Count(r => Status(r) == "succeeded") >= 2 && Runs(j).Any(r => Status(r) == "analyzing"));
            finishedBeforeKill = [];
            foreach (var run in Runs(job).Where(r => Status(r) == "succeeded"))
            {
                var patch = await client.GetStringAsync(run!["patchUrl"]!.GetValue<string>());
                finishedBeforeKill[run!["repository"]!.GetValue<string>()] = (run["finishedAt"]!.ToJsonString(), patch);
            }

            server.KillHard();
        }

        using (var restarted = StartServer(clockAhead: ServerLease))
        {
            using var client = await ReadyClientAsync(restarted);
            var list = await (await client.GetAsync("/api/jobs")).JsonAsync();
            Assert.Equal([second, first], list["items"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()));

            foreach (var id in new[] { first, second })
            {
                var job = await client.WaitForEndAsync(id);
                Assert.True(Status(job) == "completed", job.ToJsonString());
                Assert.All(Runs(job), run => Assert.Equal("succeeded", Status(run)));
            }

            var after = await (await client.GetAsync($"/api/jobs/{first}")).JsonAsync();
            foreach (var (repository, before) in finishedBeforeKill)
            {
                var run = Runs(after).Single(r => r!["repository"]!.GetValue<string>() == repository);
                Assert.Equal(1, run!["attempts"]!.GetValue<int>());
                Assert.Equal(before.FinishedAt, run["finishedAt"]!.ToJsonString());
                Assert.Equal(before.Patch, await client.GetStringAsync(run["patchUrl"]!.GetValue<string>()));
            }

            // The runs that were in flight were taken up again once their lease ran out (at once, on the restarted clock).
            Assert.Contains(Runs(after), run => run!["attempts"]!.GetValue<int>() == 2);
        }
    }

    [Fact]
    public async Task Killing_the_server_while_it_publishes_resumes_at_publishing_without_claude_and_opens_one_pull_request()
    {
        await using var claude = await FakeMessagesApi.StartAsync();
        await using var github = await FakeGitHubApi.StartAsync();
        github.Add("octo", "app").With("README.md", "# App\n");
        claude.Enqueue(
            Message(ToolUse("str_replace_based_edit_tool", new JsonObject { ["command"] = "str_replace", ["path"] = "/repo/README.md", ["old_str"] = "# App", ["new_str"] = "# App\n\nFixed." })),
            Message(ToolUse("submit_result", new JsonObject
            {
                ["wereChangesNecessary"] = true,
                ["summary"] = "Fixed the readme.",
                ["pullRequestTitle"] = "Fix the readme",
                ["pullRequestBody"] = "Adds a line.",
            })));
        using var killed = new CancellationTokenSource();
        var pullRequestCreated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        github.PullRequestCreated = async (_, _) =>
        {
            // GitHub made the pull request; the server is killed before it hears so.
            pullRequestCreated.TrySetResult();
            await Task.Delay(Timeout.Infinite, killed.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        };
        var environment = new Dictionary<string, string>
        {
            ["ANTHROPIC_API_KEY"] = claude.ApiKey,
            ["ANTHROPIC_BASE_URL"] = claude.BaseUrl,
            ["GITHUB_TOKEN"] = github.Token,
            ["GITHUB_API_URL"] = github.BaseUrl,
        };
        string id;
        int claudeRequestsBeforeKill;
        using (var server = StartProduct(environment))
        {
            using var client = await ReadyClientAsync(server);
            var created = await client.PostAsJsonAsync("/api/jobs", new { prompt = "Fix the readme", repositories = new[] { "octo/app" } });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            id = (await created.JsonAsync())["id"]!.GetValue<string>();
            await pullRequestCreated.Task.Expect("GitHub creating the pull request");
            claudeRequestsBeforeKill = claude.Requests.Count;
            server.KillHard();
        }

        await killed.CancelAsync();
        github.PullRequestCreated = null;
        using (var restarted = StartProduct(environment, clockAhead: ProductLease))
        {
            using var client = await ReadyClientAsync(restarted);
            var job = await client.WaitForEndAsync(id);
            var run = Runs(job).Single()!;

            Assert.True(Status(run) == "succeeded", job.ToJsonString() + restarted.Output);
            Assert.Equal(2, claudeRequestsBeforeKill);
            Assert.Equal(claudeRequestsBeforeKill, claude.Requests.Count);
            Assert.Equal(2, run["attempts"]!.GetValue<int>());
            Assert.Equal("Fixed the readme.", run["summary"]!.GetValue<string>());
            var pull = Assert.Single(github.PullRequests);
            Assert.Equal(pull["html_url"]!.GetValue<string>(), run["pullRequestUrl"]!.GetValue<string>());
            Assert.Equal("Fix the readme", pull["title"]!.GetValue<string>());
            var branch = github.Branch("octo/app", $"codybatch/{id}-app")!;
            Assert.Equal("# App\n\nFixed.\n", System.Text.Encoding.UTF8.GetString(github.FilesOf(branch)["README.md"].Content));
            Assert.Empty(github.Problems);
            Assert.Empty(claude.Problems);
        }
    }

    // Port 0: the system picks a free port at the bind, and the test reads it back from the host.
    // The product's lease is long enough that a loaded machine cannot delay a renewal past it: a lapse would hand the
    // run to a second attempt in the same server (Claude asked again, a second pull request tried), which is not what
    // this test is about. A restarted server runs its clock a lease ahead (TestHost:ClockAhead), so it sees the leases
    // the killed one held as run out at once, as it would once they had, instead of the test waiting them out.
    private const string ProductLease = "00:00:10";
    private const string ServerLease = "00:00:02";

    // The first start is the product's own `serve`; a restart is the test host with the product's adapters, for its clock.
    private HostProcess StartProduct(IReadOnlyDictionary<string, string> environment, string? clockAhead = null) => HostProcess.Start(
        clockAhead is null ? Path.Combine(AppContext.BaseDirectory, "codybatch.dll") : HostProcess.SiblingAssembly("CodyBatch.TestHost"),
        [
            .. clockAhead is null ? ["serve"] : (string[])["--TestHost:Product", "true", "--TestHost:ClockAhead", clockAhead],
            "--urls", "http://127.0.0.1:0",
            "--CodyBatch:DataDirectory", _data.Path,
            "--CodyBatch:Worker:LeaseDuration", ProductLease,
            "--CodyBatch:Worker:PollInterval", "00:00:00.100",
            "--CodyBatch:GitHub:WriteSpacing", "00:00:00.010",
        ],
        environment);

    private HostProcess StartServer(string clockAhead = "00:00:00") => HostProcess.Start(
        HostProcess.SiblingAssembly("CodyBatch.TestHost"),
        [
            "--urls", "http://127.0.0.1:0",
            "--CodyBatch:DataDirectory", _data.Path,
            "--CodyBatch:Worker:Concurrency", "2",
            "--CodyBatch:Worker:LeaseDuration", ServerLease,
            "--CodyBatch:Worker:PollInterval", "00:00:00.100",
            "--TestHost:Repositories", string.Join(',', Repositories),
            "--TestHost:AgentDelay", "00:00:00.700",
            "--TestHost:ClockAhead", clockAhead,
        ]);

    private static async Task<HttpClient> ReadyClientAsync(HostProcess server)
    {
        var client = await server.ClientAsync();
        var health = await client.GetAsync("/health");
        Assert.True(health.IsSuccessStatusCode, $"The started server is not healthy ({(int)health.StatusCode}):\n{server.Output}");
        return client;
    }

    private static async Task<string> CreateAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/jobs", new { prompt = "Append a line", repositories = Repositories });
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync())["id"]!.GetValue<string>();
    }

    private static JsonArray Runs(JsonNode job) => job["repositories"]!.AsArray();

    private static string Status(JsonNode? node) => node!["status"]!.GetValue<string>();
}
