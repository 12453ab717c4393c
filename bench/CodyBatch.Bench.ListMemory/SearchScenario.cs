using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;
using CodyBatch.Storage.Sqlite.Jobs;
using Microsoft.Extensions.Configuration;

/// <summary>
/// The list and its search at scale: seeds 10k, then 100k (<c>--sizes</c>) jobs with varied prompts, titles and
/// repositories, starts the real server on them for each size, and prints the p50/p99 of the first page
/// (<c>GET /api/jobs</c>) and of searches (<c>?q=</c>: a common word, a rare word, a repository, a title word, a
/// phrase, text nothing has) from many connections.
/// </summary>
internal static class SearchScenario
{
    private static readonly string[] Words =
    [
        "fix", "the", "input", "validation", "handler", "upgrade", "library", "dependency", "remove", "deprecated", "call",
        "add", "tests", "for", "parser", "logging", "configuration", "timeout", "retry", "client", "server", "cache", "database",
        "query", "migration", "schema", "endpoint", "response", "request", "header", "token", "secret", "rotate", "audit",
        "permission", "role", "user", "account", "billing", "invoice", "payment", "order", "queue", "worker", "job", "schedule",
        "report", "export", "import", "file", "upload", "download", "image", "resize", "thumbnail", "search", "index", "rank",
        "and", "in", "of", "to", "with", "every", "module", "service", "package", "build", "lint", "format", "warnings",
    ];

    private static readonly string[] Rare = ["kubernetes", "graphql", "protobuf", "websocket", "oauth2", "terraform", "fuzzing", "sbom"];

    public static async Task RunAsync(IConfiguration settings, string server)
    {
        var sizes = (settings["sizes"] ?? "10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var connections = settings.GetValue("connections", 8);
        var loadTime = TimeSpan.FromSeconds(settings.GetValue("seconds", 15));
        var data = Path.Combine(Path.GetTempPath(), $"codybatch-bench-search-{Guid.NewGuid():N}");
        var store = new SqliteJobStore(new SqliteStoreLocation(Path.Combine(data, "codybatch.db")));
        var random = new Random(42);
        var start = DateTimeOffset.UtcNow.AddDays(-400);
        var seeded = 0;
        try
        {
            foreach (var size in sizes)
            {
                var seedWatch = Stopwatch.StartNew();
                for (; seeded < size; seeded++)
                {
                    await store.CreateAsync(NewJob(random, seeded, start.AddMinutes(seeded)), CancellationToken.None);
                }

                Console.WriteLine($"{size:N0} jobs (seeded in {seedWatch.Elapsed.TotalSeconds:0} s); {connections} connections, {loadTime.TotalSeconds:0} s per load");
                using var host = await ServerProcess.StartAsync(server, data);
                await LoadAsync(host.Http, "first page  GET /api/jobs", connections, loadTime, _ => "/api/jobs");
                await LoadAsync(host.Http, "first page  GET /api/jobs?limit=100", connections, loadTime, _ => "/api/jobs?limit=100");
                string[] terms = ["validation", "oauth2", "acme-7/service-42", "Release", "rotate the secret", "nothing-has-this"];
                foreach (var term in terms)
                {
                    await LoadAsync(host.Http, $"search      q={term}", connections, loadTime / 2, _ => $"/api/jobs?q={Uri.EscapeDataString(term)}");
                }

                await LoadAsync(host.Http, "search      all of the above, mixed", connections, loadTime, i => $"/api/jobs?q={Uri.EscapeDataString(terms[i % terms.Length])}");
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static Job NewJob(Random random, int i, DateTimeOffset at)
    {
        var words = Enumerable.Range(0, random.Next(20, 90)).Select(_ => Words[random.Next(Words.Length)]).ToList();
        if (random.Next(1000) == 0)
        {
            words.Insert(random.Next(words.Count), Rare[random.Next(Rare.Length)]);
        }

        var prompt = string.Join(' ', words);
        var title = random.Next(2) == 0 ? null : $"{(random.Next(10) == 0 ? "Release" : "Batch")} {i}: {Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]}";
        var repositories = Enumerable.Range(0, random.Next(1, 6)).Select(_ => $"acme-{random.Next(20)}/service-{random.Next(500)}").Distinct();
        var job = JobLifecycle.Create(prompt, title, JobMode.Patch, "claude-sonnet-4-5", repositories, at);
        return job with
        {
            Status = JobStatus.Completed,
            Runs = [.. job.Runs.Select(r => r with { Status = RunStatus.Succeeded, WereChangesNecessary = true, Summary = "Fixed the handler's validation.", Attempts = 1 })],
        };
    }

    private static async Task LoadAsync(HttpClient http, string name, int connections, TimeSpan time, Func<int, string> path)
    {
        // Warm the server's caches and SQLite's page cache once, outside the measurement.
        (await http.GetAsync(path(0))).EnsureSuccessStatusCode();
        var latencies = new List<double>();
        using var stop = new CancellationTokenSource(time);
        var clients = Enumerable.Range(0, connections).Select(async c =>
        {
            var mine = new List<double>();
            for (var i = c; !stop.IsCancellationRequested; i += connections)
            {
                var watch = Stopwatch.StartNew();
                using var response = await http.GetAsync(path(i), HttpCompletionOption.ResponseContentRead);
                response.EnsureSuccessStatusCode();
                mine.Add(watch.Elapsed.TotalMilliseconds);
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        }).ToArray();
        await Task.WhenAll(clients);
        latencies.Sort();
        Console.WriteLine($"  {name,-48} {latencies.Count,6} requests  p50 {latencies[latencies.Count / 2],7:0.0} ms  p99 {latencies[latencies.Count * 99 / 100],7:0.0} ms");
    }
}

/// <summary>The real <c>codybatch serve</c> on a data folder, workers off, as its own process.</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, HttpClient http)
    {
        _process = process;
        Http = http;
    }

    public HttpClient Http { get; }

    public int Id => _process.Id;

    public static async Task<ServerProcess> StartAsync(string server, string data)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { server, "serve", "--urls", $"http://127.0.0.1:{port}", "--CodyBatch:DataDirectory", data, "--CodyBatch:Worker:Enabled", "false" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
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

        return new ServerProcess(process, http);
    }

    public void Dispose()
    {
        Http.Dispose();
        _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
