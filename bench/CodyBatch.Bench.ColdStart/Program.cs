using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

// Starts the published `codybatch serve` (the API as the Lambda function runs it: `dotnet codybatch.dll serve`,
// workers and the schedule loop off, a fresh data folder) and times process start to the first 200 from /health,
// as the Lambda Web Adapter's readiness check sees it. Prints every run and min/median/max in milliseconds.
//
//   dotnet publish src/CodyBatch -c Release -o /tmp/codybatch-app
//   dotnet run -c Release --project bench/CodyBatch.Bench.ColdStart -- --app /tmp/codybatch-app [--runs 10] [--baseline /tmp/other-app]
//
// --env "NAME=VALUE;NAME=VALUE" adds variables to --app's runs (the function's DOTNET_ settings, say), --baseline-env
// to --baseline's.
// With --baseline the two builds start in turn (A B A B ...), so a machine that slows down during the call slows both alike.
var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
var runs = settings.GetValue("runs", 10);
var warmup = settings.GetValue("warmup", 1);
var apps = new[] { ("app", settings["app"]), ("baseline", settings["baseline"]) }
    .Where(a => a.Item2 is not null)
    .Select(a => (Name: a.Item1, Entry: Entry(a.Item2!)))
    .ToList();
if (settings["app"] is null)
{
    throw new ArgumentException("--app must name the folder of the published codybatch (dotnet publish src/CodyBatch -c Release -o FOLDER).");
}

var environments = new Dictionary<string, Dictionary<string, string>>
{
    ["app"] = Variables(settings["env"]),
    ["baseline"] = Variables(settings["baseline-env"]),
};
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
var times = apps.ToDictionary(a => a.Name, _ => new List<double>());
var cpu = apps.ToDictionary(a => a.Name, _ => new List<double>());
for (var run = 0; run < warmup + runs; run++)
{
    foreach (var (name, entry) in apps)
    {
        var (elapsed, busy) = await StartOnceAsync(entry, http, environments[name]);
        if (run >= warmup)
        {
            times[name].Add(elapsed.TotalMilliseconds);
            cpu[name].Add(busy.TotalMilliseconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} run {run - warmup + 1}: {elapsed.TotalMilliseconds:0} ms wall, {busy.TotalMilliseconds:0} ms cpu"));
        }
    }
}

foreach (var (name, entry) in apps)
{
    Console.WriteLine($"{name} ({Path.GetDirectoryName(entry)}), start to first /health 200 over {times[name].Count} runs:");
    Console.WriteLine(Summary("  wall", times[name]));

    // The server's user + system time when it answered: what a busy machine's wall figure hides.
    Console.WriteLine(Summary("  cpu ", cpu[name]));
}

if (apps.Count == 2)
{
    // Each pair started one after the other: the difference within a pair is what a loaded machine changes least.
    Console.WriteLine("app minus baseline, per pair:");
    Console.WriteLine(Summary("  wall", [.. times["app"].Zip(times["baseline"], (a, b) => a - b)]));
    Console.WriteLine(Summary("  cpu ", [.. cpu["app"].Zip(cpu["baseline"], (a, b) => a - b)]));
}

static Dictionary<string, string> Variables(string? list) => (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
    .Select(pair => pair.Split('=', 2))
    .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : "");

static string Summary(string label, List<double> values)
{
    var sorted = values.Order().ToList();
    var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    return string.Create(CultureInfo.InvariantCulture, $"{label} min {sorted[0]:0} ms, median {median:0} ms, max {sorted[^1]:0} ms");
}

static string Entry(string app)
{
    var entry = Path.Combine(Path.GetFullPath(app), "codybatch.dll");
    return File.Exists(entry) ? entry : throw new FileNotFoundException($"No codybatch.dll in {app}; publish src/CodyBatch there first.", entry);
}

static async Task<(TimeSpan Wall, TimeSpan Cpu)> StartOnceAsync(string entry, HttpClient http, Dictionary<string, string> environment)
{
    var data = Path.Combine(Path.GetTempPath(), $"codybatch-coldstart-{Guid.NewGuid():N}");
    var port = FreePort();
    // A self-contained publish (the image's) starts through its own executable, a framework-dependent one through dotnet.
    var selfContained = File.ReadAllText(Path.ChangeExtension(entry, ".runtimeconfig.json")).Contains("includedFrameworks", StringComparison.Ordinal);
    var start = new ProcessStartInfo(selfContained ? Path.ChangeExtension(entry, null) : "dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in (selfContained ? Array.Empty<string>() : [entry]).Concat(["serve", "--urls", $"http://127.0.0.1:{port}"]))
    {
        start.ArgumentList.Add(argument);
    }

    // The function's environment (see infra/CodyBatch.Infra/CodyBatchStack.cs), with the local store in place of DynamoDB.
    start.Environment["CodyBatch__Worker__Enabled"] = "false";
    start.Environment["CodyBatch__Schedules__Loop"] = "false";
    start.Environment["CodyBatch__DataDirectory"] = data;
    start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
    foreach (var (name, value) in environment)
    {
        start.Environment[name] = value;
    }

    var health = new Uri($"http://127.0.0.1:{port}/health");

    var clock = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    try
    {
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"codybatch serve exited with {process.ExitCode} before answering /health.");
            }

            try
            {
                using var response = await http.GetAsync(health);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var wall = clock.Elapsed;
                    process.Refresh();
                    return (wall, process.TotalProcessorTime);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet; the adapter's readiness check retries every 10 ms, this every 2.
            }

            await Task.Delay(2);
        }
    }
    finally
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
