using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;
using CodyBatch.Storage.Sqlite.Jobs;
using Microsoft.Extensions.Configuration;

// Seeds a data folder with jobs whose five runs each carry a large summary, starts the real
// `codybatch serve` on it (workers off) as its own process, and loads GET /api/jobs?limit=100 from
// many connections. Prints the page size, latencies, and the server's resident memory before the
// load, at its peak, and after it (the server left idle).
//
//   dotnet build -c Release src/CodyBatch && dotnet run -c Release --project bench/CodyBatch.Bench.ListMemory --
//       [--jobs 1000] [--summary-kb 32] [--connections 16] [--seconds 20] [--idle-seconds 20] [--hold-seconds 0]
//       [--server path/to/codybatch.dll]
//
// With --scenario search: the list and its search at 10k and 100k jobs (see SearchScenario), e.g.
//   dotnet run -c Release --project bench/CodyBatch.Bench.ListMemory -- --scenario search [--sizes 10000,100000] [--connections 8] [--seconds 15]
var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
if (settings["scenario"] == "search")
{
    await SearchScenario.RunAsync(settings, settings["server"] ?? FindServer());
    return;
}

var jobCount = settings.GetValue("jobs", 1000);
var summaryBytes = settings.GetValue("summary-kb", 32) * 1024;
var connections = settings.GetValue("connections", 16);
var loadTime = TimeSpan.FromSeconds(settings.GetValue("seconds", 20));
var idleTime = TimeSpan.FromSeconds(settings.GetValue("idle-seconds", 20));
var server = settings["server"] ?? FindServer();

var data = Path.Combine(Path.GetTempPath(), $"codybatch-bench-list-{Guid.NewGuid():N}");
var store = new SqliteJobStore(new SqliteStoreLocation(Path.Combine(data, "codybatch.db")));
var summary = string.Concat(Enumerable.Repeat("The change fixes the input validation of the handler. ", summaryBytes / 54 + 1))[..summaryBytes];
var now = DateTimeOffset.UtcNow;
var ids = new List<string>();
for (var i = 0; i < jobCount; i++)
{
    var job = JobLifecycle.Create($"Fix the validation ({i})", null, JobMode.Patch, "claude-sonnet-4-5", Enumerable.Range(1, 5).Select(r => $"bench/repo-{r}"), now.AddSeconds(i));
    job = job with
    {
        Status = JobStatus.Completed,
        Runs = [.. job.Runs.Select(r => r with { Status = RunStatus.Succeeded, WereChangesNecessary = true, Summary = summary, Attempts = 1 })],
    };
    await store.CreateAsync(job, CancellationToken.None);
    ids.Add(job.Id);
}

ids.Sort(StringComparer.Ordinal);
var port = FreePort();
var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
foreach (var argument in new[] { server, "serve", "--urls", $"http://127.0.0.1:{port}", "--CodyBatch:DataDirectory", data, "--CodyBatch:Worker:Enabled", "false" })
{
    start.ArgumentList.Add(argument);
}

start.Environment["DOTNET_ENVIRONMENT"] = start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
using var process = Process.Start(start)!;
process.OutputDataReceived += (_, _) => { };
process.ErrorDataReceived += (_, _) => { };
process.BeginOutputReadLine();
process.BeginErrorReadLine();
using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
try
{
    for (var ready = false; !ready;)
    {
        try
        {
            ready = (await http.GetAsync("/health")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            await Task.Delay(100);
        }
    }

    var firstPage = await http.GetStringAsync("/api/jobs?limit=100");
    var oneJob = await http.GetStringAsync($"/api/jobs/{ids[^1]}");
    await Task.Delay(TimeSpan.FromSeconds(3));
    var before = Rss(process.Id);
    Console.WriteLine($"{jobCount} jobs × 5 runs with {summaryBytes / 1024} KB summaries; {connections} connections for {loadTime.TotalSeconds:0} s");
    Console.WriteLine($"one list page (limit=100): {firstPage.Length / 1024.0:0.0} KB; one job (GET /api/jobs/{{id}}): {oneJob.Length / 1024.0:0.0} KB; items on the page: {JsonNode.Parse(firstPage)!["items"]!.AsArray().Count}");

    var latencies = new List<double>();
    var peak = before;
    using var stop = new CancellationTokenSource(loadTime);
    var sampler = Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            peak = Math.Max(peak, Rss(process.Id));
            await Task.Delay(200);
        }
    });
    var clients = Enumerable.Range(0, connections).Select(async c =>
    {
        var random = new Random(c);
        var mine = new List<double>();
        while (!stop.IsCancellationRequested)
        {
            var cursor = ids[random.Next(100, ids.Count)];
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync($"/api/jobs?limit=100&cursor={cursor}", HttpCompletionOption.ResponseContentRead);
            response.EnsureSuccessStatusCode();
            mine.Add(watch.Elapsed.TotalMilliseconds);
        }

        lock (latencies)
        {
            latencies.AddRange(mine);
        }
    }).ToArray();
    await Task.WhenAll(clients);
    await sampler;

    var idle = new List<long>();
    for (var waited = TimeSpan.Zero; waited < idleTime; waited += TimeSpan.FromSeconds(1))
    {
        await Task.Delay(1000);
        idle.Add(Rss(process.Id));
    }

    latencies.Sort();
    Console.WriteLine($"requests: {latencies.Count} ({latencies.Count / loadTime.TotalSeconds:0.0}/s); latency p50 {latencies[latencies.Count / 2]:0} ms, p99 {latencies[latencies.Count * 99 / 100]:0} ms");
    Console.WriteLine($"server resident memory: before {Mb(before)}, peak {Mb(peak)}, after {idleTime.TotalSeconds:0} s idle {Mb(idle[^1])} ({(double)idle[^1] / before:0.00}× before)");
    if (settings.GetValue("hold-seconds", 0) is > 0 and var hold)
    {
        // Time to look at the idle server with other tools (dotnet-counters, /proc/PID/smaps).
        Console.WriteLine($"server pid {process.Id}; holding it for {hold} s");
        await Task.Delay(TimeSpan.FromSeconds(hold));
    }
}
finally
{
    process.Kill();
    await process.WaitForExitAsync();
    Directory.Delete(data, recursive: true);
}

static string Mb(long bytes) => $"{bytes / 1048576.0:0} MB";

static long Rss(int pid)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
    }

    return 0;
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string FindServer()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        var candidate = Path.Combine(directory.FullName, "src", "CodyBatch", "bin", "Release", "net10.0", "codybatch.dll");
        if (File.Exists(candidate))
        {
            return candidate;
        }
    }

    throw new FileNotFoundException("Build the server first: dotnet build -c Release src/CodyBatch (or pass --server PATH/codybatch.dll).");
}
