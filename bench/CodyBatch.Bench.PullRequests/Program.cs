using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.PullRequests;
using CodyBatch.GitHub;
using CodyBatch.GitHub.Api;
using CodyBatch.GitHub.PullRequests;
using CodyBatch.Storage.Sqlite.Jobs;
using CodyBatch.Testing.GitHub;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// How many GitHub requests following open pull requests costs: P pull requests in J jobs (re-runs
// of one campaign share them), refreshed by the real tracker and GitHub host against the fake GitHub,
// which answers 304 to a matching If-None-Match without counting it against the rate limit.
// Rounds: cold (nothing stored), unchanged, after a change on a third of them, unchanged again.
// A refresh reads up to fifty pull requests in one GraphQL query, whose cost the fake computes as GitHub
// documents it ("points"); --rest turns the fake's GraphQL endpoint off (a 404, as on a GitHub Enterprise
// Server without it), so every pull request is read over conditional REST as before.
// The goal: at most 0.1 requests per open pull request per refresh for 50 or more.
//
//   dotnet run -c Release --project bench/CodyBatch.Bench.PullRequests -- [--pulls 25] [--jobs 3] [--rest]
var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
var pullCount = settings.GetValue("pulls", 25);
var jobCount = settings.GetValue("jobs", 3);

await using var github = await FakeGitHubApi.StartAsync();
github.GraphQlAvailable = !args.Contains("--rest");
using var http = new HttpClient { BaseAddress = new Uri(github.BaseUrl) };
http.DefaultRequestHeaders.Authorization = new("Bearer", github.Token);
http.DefaultRequestHeaders.UserAgent.ParseAdd("codybatch-bench");

// P repositories with one open pull request each, made through the fake's REST API.
var pulls = new List<(string Repository, PullRequest Pull)>();
for (var i = 0; i < pullCount; i++)
{
    var repository = github.Add("bench", $"repo-{i:000}").With("README.md", $"# {i}\n");
    var branch = $"codybatch/bench-{i}";
    (await http.PostAsJsonAsync($"repos/{repository.FullName}/git/refs", new { @ref = $"refs/heads/{branch}", sha = github.HeadOf(repository) })).EnsureSuccessStatusCode();
    var created = JsonNode.Parse(await (await http.PostAsJsonAsync($"repos/{repository.FullName}/pulls", new { title = "Bench", head = branch, @base = "main", body = "b" })).EnsureSuccessStatusCode().Content.ReadAsStringAsync())!;
    pulls.Add((repository.FullName, PullRequestTracking.Opened(
        created["html_url"]!.GetValue<string>(), created["number"]!.GetValue<int>(), branch, created["head"]!["sha"]!.GetValue<string>(), false, null, DateTimeOffset.UtcNow)));
}

// J jobs of one campaign, each following every pull request (a job has at most 5 repositories, so the pull requests are spread over several jobs per round).
var data = Path.Combine(Path.GetTempPath(), $"codybatch-bench-pulls-{Guid.NewGuid():N}");
var store = new SqliteJobStore(new SqliteStoreLocation(Path.Combine(data, "codybatch.db")));
await store.InitializeAsync(CancellationToken.None);
string? campaign = null;
for (var j = 0; j < jobCount; j++)
{
    foreach (var chunk in pulls.Chunk(5))
    {
        var job = JobLifecycle.Create("bench", null, JobMode.PullRequest, "m", chunk.Select(p => p.Repository), DateTimeOffset.UtcNow) with { CampaignId = campaign };
        campaign ??= job.Id;
        foreach (var (repository, pull) in chunk)
        {
            job = JobLifecycle.SetPullRequest(job, repository, pull, DateTimeOffset.UtcNow);
        }

        await store.CreateAsync(job, CancellationToken.None);
    }
}

var gitHubOptions = Options.Create(new GitHubOptions());
var connection = new GitHubConnection(
    new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["GITHUB_TOKEN"] = github.Token,
        ["GITHUB_API_URL"] = github.BaseUrl,
    }).Build(),
    new GitHubRateLimits(TimeProvider.System),
    gitHubOptions,
    TimeProvider.System);
var calls = new GitHubCalls(gitHubOptions, TimeProvider.System);
var tracker = new PullRequestTracker(store, new GitHubPullRequestHost(connection, calls), TimeProvider.System, NullLogger<PullRequestTracker>.Instance);

Console.WriteLine($"{pullCount} open pull requests, each followed by {jobCount} jobs of one campaign; GraphQL {(github.GraphQlAvailable ? "on" : "off (REST)")}");
Console.WriteLine($"{"round",-34} {"requests",9} {"per PR",7} {"304s",6} {"counted",8} {"counted/PR",11} {"points",7} {"ms",7}");
await RoundAsync("1 cold (no ETags stored)");
await RoundAsync("2 nothing changed");
for (var i = 0; i < pullCount; i += 3)
{
    var (repository, pull) = pulls[i];
    await github.CheckRunAsync(repository, pull.HeadSha!, "build", "completed", "failure");
    if (i % 2 == 0)
    {
        await github.ReviewAsync(repository, pull.Number, "reviewer", "APPROVED");
    }
}

await RoundAsync($"3 a third changed (checks, reviews)");
await RoundAsync("4 nothing changed");
connection.Dispose();
Directory.Delete(data, recursive: true);

async Task RoundAsync(string name)
{
    var requestsBefore = github.Answers.Count;
    var usedBefore = github.RateLimitUsed;
    var started = System.Diagnostics.Stopwatch.StartNew();
    var report = await tracker.RefreshOpenAsync(CancellationToken.None);
    var elapsed = started.Elapsed;
    var requests = github.Answers.Count - requestsBefore;
    var counted = github.RateLimitUsed - usedBefore;
    if (report.Problems.Count > 0 || report.Refreshed != pullCount || requests != report.Calls)
    {
        throw new InvalidOperationException($"round {name}: refreshed {report.Refreshed} of {pullCount}, {requests} requests seen vs {report.Calls} made; {string.Join("; ", report.Problems)}");
    }

    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{name,-34} {requests,9} {(double)requests / pullCount,7:0.00} {report.NotModified,6} {counted,8} {(double)counted / pullCount,11:0.00} {report.RateLimitPoints,7} {elapsed.TotalMilliseconds,7:0}"));
}
