using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodyBatch.Bench.Campaign;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Campaigns;
using CodyBatch.Core.Jobs;
using CodyBatch.Hosting;
using CodyBatch.Testing.GitHub;

// A fleet campaign end to end: the real server (as `codybatch serve` composes it, SQLite stores, the campaign
// loop, the worker) with the real GitHub host against the in-process fake GitHub holding N repositories of the
// organization `fleet`, and the agent port answered by a script that takes a fixed time per run (a 1-second
// Messages API answer). The campaign selects the organization (no triage, no canary), is approved and runs to the
// end. Printed: its wall time against the ideal for its concurrency (ceil(N ÷ runs at once) × the agent's time),
// the campaign page's latency (GET /api/campaigns/{id}, polled every 100 ms while it runs as a browser polls it,
// with If-None-Match naming the last ETag; goal p99 ≤ 50 ms; the full answers' figures apart), the process's CPU time,
// the store operations per repository (a counting decorator around the campaign and job stores) and the load
// average. GitHub asks for a second between content-creating requests; the product keeps that
// (CodyBatch:GitHub:WriteSpacing, 1 s), which alone makes 300 pull requests take many minutes, so the bench
// spaces writes by --write-spacing (10 ms by default) and prints the GitHub writes per repository.
//
//   dotnet run -c Release --project bench/CodyBatch.Bench.Campaign -- [--repositories 300] [--concurrency 10]
//       [--worker 50] [--agent-seconds 1] [--write-spacing 00:00:00.010] [--allocations true]
//
// After the figures it prints the slowest polls with what the server did meanwhile (the GC pauses they overlapped,
// from the runtime's own events; the thread pool's queue; the machine's runnable tasks) and the GC pauses by
// generation; with --allocations true, the types allocated most (the runtime's allocation samples; sampling costs
// a little, so measure the latency without it).
var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
var repositoryCount = settings.GetValue("repositories", 300);
var concurrency = settings.GetValue("concurrency", 10);
var worker = settings.GetValue("worker", concurrency * CampaignLimits.RepositoriesPerJob);
var agentTime = TimeSpan.FromSeconds(settings.GetValue("agent-seconds", 1.0));
var writeSpacing = settings.GetValue("write-spacing", "00:00:00.010");
var allocations = settings.GetValue("allocations", false);
var loadBefore = File.ReadAllText("/proc/loadavg").Trim();
using var watch = new RuntimeWatch(allocations);
watch.Start();

await using var github = await FakeGitHubApi.StartAsync();
github.AddFleet("fleet", repositoryCount, (_, _) => { });
var counts = new ConcurrentDictionary<string, int>();
var data = Path.Combine(Path.GetTempPath(), $"codybatch-bench-campaign-{Guid.NewGuid():N}");
var port = FreePort();
var baseUrl = $"http://127.0.0.1:{port}";
var app = CodyBatchServer.Build(
    [
        "--urls", baseUrl, "--CodyBatch:DataDirectory", data,
        "--CodyBatch:Worker:Concurrency", worker.ToString(CultureInfo.InvariantCulture), "--CodyBatch:Worker:PollInterval", "00:00:00.100",
        "--CodyBatch:Campaigns:Interval", "00:00:01", "--CodyBatch:GitHub:WriteSpacing", writeSpacing,
        "--GITHUB_TOKEN", github.Token, "--GITHUB_API_URL", github.BaseUrl, "--Logging:LogLevel:Default", "Warning",
    ],
    services =>
    {
        services.AddSingleton<ICodeAgent>(new SleepingAgent(agentTime, 0.05m));
        Count<ICampaignStore>(services, inner => new CountedCampaignStore(inner, counts));
        Count<IJobStore>(services, inner => new CountedJobStore(inner, counts));
    });
await app.StartAsync();
try
{
    using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
    var created = await http.PostAsJsonAsync("/api/campaigns", new
    {
        title = "Bench: bump the base image",
        job = new { prompt = "Bump the base image to 2026.12.", checks = Array.Empty<string>(), shell = false },
        selection = new { organization = "fleet" },
        triage = "off",
        canaryJobs = 0,
        concurrency,
    });
    var createdBody = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
    if (!created.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"creating the campaign: {(int)created.StatusCode} {createdBody.ToJsonString()}");
    }

    var id = createdBody["campaign"]!["id"]!.GetValue<string>();
    var selected = createdBody["preview"]!["count"]!.GetValue<int>();
    var creation = new Dictionary<string, int>(counts);
    counts.Clear();
    var githubBefore = github.Answers.Count;
    // The first read of the page JIT-compiles its path; it is printed on its own, not among the figures.
    var cold = Stopwatch.StartNew();
    await http.GetStringAsync($"/api/campaigns/{id}");
    var coldMs = cold.Elapsed.TotalMilliseconds;
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var pauseBefore = GC.GetTotalPauseDuration();
    var clock = Stopwatch.StartNew();
    (await http.PostAsync($"/api/campaigns/{id}/approve", null)).EnsureSuccessStatusCode();

    // The page polls as a browser does with a response it keeps under no-cache: If-None-Match with the last ETag,
    // and the kept body on a 304. A browser is another process: the poller runs on its own thread with synchronous
    // sends, so what is timed is the server's answer (until its last byte), not this process's thread pool queue
    // or the parsing of the body.
    var latencies = new List<double>();
    var full = new List<double>();
    var polls = new List<Poll>();
    var pollsFrom = DateTime.UtcNow;
    // The poller reads each body into one reused buffer and parses it in pooled memory: what it allocates lands in
    // this process's GC, which is the server's too.
    var last = new MemoryStream();
    var poller = new Thread(() =>
    {
        string? etag = null;
        string? phase = null;
        while (true)
        {
            using var ask = new HttpRequestMessage(HttpMethod.Get, $"/api/campaigns/{id}");
            if (etag is not null)
            {
                ask.Headers.TryAddWithoutValidation("If-None-Match", etag);
            }

            var pendingBefore = ThreadPool.PendingWorkItemCount;
            var askedAt = DateTime.UtcNow;
            var asked = Stopwatch.GetTimestamp();
            using var answer = http.Send(ask, HttpCompletionOption.ResponseHeadersRead);
            var modified = answer.StatusCode != HttpStatusCode.NotModified;
            if (modified)
            {
                last.SetLength(0);
                answer.EnsureSuccessStatusCode().Content.ReadAsStream().CopyTo(last);
            }

            latencies.Add(Stopwatch.GetElapsedTime(asked).TotalMilliseconds);
            polls.Add(new Poll(askedAt, askedAt.AddMilliseconds(latencies[^1]), (int)answer.StatusCode, pendingBefore, ThreadPool.PendingWorkItemCount, ThreadPool.ThreadCount, Poll.RunnableNow()));
            if (modified)
            {
                full.Add(latencies[^1]);
                using var page = JsonDocument.Parse(last.GetBuffer().AsMemory(0, (int)last.Length));
                phase = page.RootElement.GetProperty("phase").GetString();
                etag = answer.Headers.ETag?.ToString();
            }

            if (phase is "done" or "stoppedAtBudget" or "cancelled")
            {
                return;
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(30))
            {
                throw new TimeoutException($"the campaign did not end in 30 minutes: {phase}");
            }

            Thread.Sleep(100);
        }
    }) { IsBackground = true, Name = "page poller" };
    poller.Start();
    await Task.Run(poller.Join);

    var wall = clock.Elapsed;
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
    var gcPause = GC.GetTotalPauseDuration() - pauseBefore;
    var loadAfter = File.ReadAllText("/proc/loadavg").Trim();
    var campaign = JsonNode.Parse(last.ToArray())!;
    var runCounts = campaign["counts"]!;
    var succeeded = runCounts["succeeded"]!.GetValue<int>();
    var parallel = Math.Min(concurrency * CampaignLimits.RepositoriesPerJob, worker);
    var ideal = TimeSpan.FromSeconds(Math.Ceiling(selected / (double)parallel) * agentTime.TotalSeconds);
    var githubWrites = github.Answers.Skip(githubBefore).Count(a => a.Request.Method is "POST" or "PATCH" or "PUT" or "DELETE");
    latencies.Sort();
    full.Sort();

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"campaign of {selected} repositories (fake GitHub with {repositoryCount}), M = {concurrency} jobs at once, worker {worker} runs at once, agent {agentTime.TotalSeconds:0.##} s a run, GitHub writes spaced {writeSpacing}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ended {campaign["phase"]}: {succeeded} succeeded, {runCounts["failed"]} failed, {runCounts["openPullRequests"]} pull requests open on the fake GitHub ({github.PullRequests.Count} made)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wall time {wall.TotalSeconds:0.0} s; ideal {ideal.TotalSeconds:0.0} s (ceil({selected} / {parallel}) × {agentTime.TotalSeconds:0.##} s); {wall.TotalSeconds / ideal.TotalSeconds:0.00}× the ideal"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GET /api/campaigns/{{id}} while it ran: {latencies.Count} requests, p50 {Percentile(latencies, 0.50):0.0} ms, p99 {Percentile(latencies, 0.99):0.0} ms, max {latencies[^1]:0.0} ms (goal p99 ≤ 50 ms; the first, cold read before: {coldMs:0} ms)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  of which {full.Count} answered in full (200), p50 {Percentile(full, 0.50):0.0} ms, p99 {Percentile(full, 0.99):0.0} ms, max {full[^1]:0.0} ms; {latencies.Count - full.Count} not modified (304)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"process CPU time during the run {cpu.TotalSeconds:0.0} s ({cpu.TotalSeconds / wall.TotalSeconds / Environment.ProcessorCount:P0} of {Environment.ProcessorCount} cores; {cpu.TotalMilliseconds / selected:0} ms a repository, the fake GitHub's included); GC pauses {gcPause.TotalMilliseconds:0} ms"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GitHub writes during the run: {githubWrites} ({(double)githubWrites / selected:0.0} a repository)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"store operations per repository (creation: {creation.Values.Sum()} in all; the run, the page's reads included: {counts.Values.Sum()} in all, {(double)counts.Values.Sum() / selected:0.0} a repository)"));
    foreach (var (operation, count) in counts.OrderByDescending(c => c.Value))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {operation,-48} {count,7} {(double)count / selected,8:0.00}"));
    }

    PollReport.Print(polls, watch.Pauses, pollsFrom, slowest: 8);
    if (allocations)
    {
        PollReport.PrintAllocations(watch.Allocated, top: 20);
    }

    Console.WriteLine($"load average before: {loadBefore}; after: {loadAfter} ({Environment.ProcessorCount} cores)");
}
finally
{
    await app.StopAsync();
    await app.DisposeAsync();
    Directory.Delete(data, recursive: true);
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static int FreePort()
{
    using var probe = new TcpListener(IPAddress.Loopback, 0);
    probe.Start();
    return ((IPEndPoint)probe.LocalEndpoint).Port;
}

// Replaces the last registration of T with the same store wrapped in a counting decorator.
static void Count<T>(IServiceCollection services, Func<T, T> counted)
    where T : class
{
    var original = services.Last(d => d.ServiceType == typeof(T));
    services.Remove(original);
    services.AddSingleton(sp => counted(
        (T)(original.ImplementationInstance ?? original.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!))));
}
