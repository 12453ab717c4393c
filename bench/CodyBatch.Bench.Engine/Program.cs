using System.Diagnostics;
using System.Globalization;
using CodyBatch.Core;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Repositories;
using CodyBatch.Core.Runs;
using CodyBatch.LocalGit;
using CodyBatch.Storage.Sqlite;
using CodyBatch.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Runs N jobs × R repositories through the real engine (SQLite store, file artifacts, git
// workspaces) with a simulated agent that takes a fixed time per run, and compares the wall
// time with the ideal: runs × agent time / concurrency. Samples memory while it runs.
//
//   dotnet run -c Release --project bench/CodyBatch.Bench.Engine -- [--jobs 100] [--repositories 5]
//       [--concurrency 16] [--agent-ms 1000]
// Without --concurrency the product's default (CodyBatch:Worker:Concurrency) applies; with one job
// (--jobs 1 --agent-ms 5000) it shows whether the job's wall time stays within 10% of its slowest run.
var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
var jobCount = settings.GetValue("jobs", 100);
var repositoryCount = settings.GetValue("repositories", 5);
var concurrency = settings.GetValue("concurrency", new CodyBatch.Core.Configuration.WorkerOptions().Concurrency);
var agentTime = TimeSpan.FromMilliseconds(settings.GetValue("agent-ms", 1000));

var data = Path.Combine(Path.GetTempPath(), $"codybatch-bench-{Guid.NewGuid():N}");
var repositories = Enumerable.Range(1, repositoryCount).Select(i => $"bench/repo-{i}").ToArray();
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["CodyBatch:DataDirectory"] = data,
    ["CodyBatch:Worker:Concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
    ["CodyBatch:Worker:PollInterval"] = "00:00:00.250",
});
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddCodyBatchCore(withWorker: true);
builder.Services.AddLocalGit();
builder.Services.AddSqliteStorage();
builder.Services.AddSingleton<IRepositoryHost>(new FakeRepositoryHost().AddSimple(repositories));
builder.Services.AddSingleton<ICodeAgent>(ScriptedCodeAgent.AppendingTo("README.md", agentTime));

using var host = builder.Build();
await host.StartAsync();
var jobs = host.Services.GetRequiredService<JobService>();
var process = Process.GetCurrentProcess();

var runs = jobCount * repositoryCount;
var ideal = agentTime * runs / concurrency;
Console.WriteLine($"{jobCount} jobs × {repositoryCount} repositories = {runs} runs, concurrency {concurrency}, agent {agentTime.TotalMilliseconds:0} ms per run");
Console.WriteLine($"ideal: {ideal.TotalSeconds:0.00} s");

var clock = Stopwatch.StartNew();
var startedAt = DateTimeOffset.UtcNow;
var open = new HashSet<string>();
for (var i = 0; i < jobCount; i++)
{
    var (job, validation) = await jobs.CreateAsync(
        new JobRequest { Prompt = $"Append a line ({i})", Repositories = repositories, Mode = "patch" }, CancellationToken.None);
    open.Add(job?.Id ?? throw new InvalidOperationException(string.Join("; ", validation.Errors.SelectMany(e => e.Value))));
}

var samples = new List<(double Seconds, int Finished, long WorkingSet, long Managed)>();
var failed = 0;
while (open.Count > 0)
{
    await Task.Delay(1000);
    foreach (var id in open.ToArray())
    {
        var job = await jobs.GetAsync(id, CancellationToken.None);
        if (job is not null && job.Runs.All(r => r.Status.IsFinal()))
        {
            failed += job.Runs.Count(r => r.Status != RunStatus.Succeeded);
            open.Remove(id);
        }
    }

    process.Refresh();
    samples.Add((clock.Elapsed.TotalSeconds, jobCount - open.Count, process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false)));
}

// The store's own timestamps say when the last run ended, independent of how often this loop looked.
var ended = new List<Job>();
foreach (var id in (await jobs.ListAsync(new JobQuery(null, null, jobCount, null), CancellationToken.None)).Items.Select(j => j.Id))
{
    ended.Add((await jobs.GetAsync(id, CancellationToken.None))!);
}

var allRuns = ended.SelectMany(j => j.Runs).ToList();
var elapsed = allRuns.Max(r => r.FinishedAt!.Value) - startedAt;
var durations = allRuns.Select(r => (r.FinishedAt!.Value - r.StartedAt!.Value).TotalMilliseconds).Order().ToList();
await host.StopAsync();

var walls = ended.Select(j => (Wall: j.Runs.Max(r => r.FinishedAt!.Value) - j.CreatedAt, Slowest: j.Runs.Max(r => r.FinishedAt!.Value - r.StartedAt!.Value))).ToList();
var worst = walls.MaxBy(w => w.Wall / w.Slowest);
Console.WriteLine($"job wall time against its slowest run: worst {worst.Wall.TotalSeconds:0.00} s for a slowest run of {worst.Slowest.TotalSeconds:0.00} s "
    + $"({(worst.Wall / worst.Slowest - 1) * 100:+0.0;-0.0}%; goal within +10% when the job fits in the slots)");
Console.WriteLine($"actual: {elapsed.TotalSeconds:0.00} s ({(elapsed / ideal - 1) * 100:+0.0;-0.0}% against ideal; goal within +10%)");
Console.WriteLine($"throughput: {runs / elapsed.TotalSeconds:0.0} runs/s; failed runs: {failed}");
Console.WriteLine($"run time, claim to end: median {durations[durations.Count / 2]:0} ms, p95 {durations[durations.Count * 95 / 100]:0} ms, max {durations[^1]:0} ms "
    + $"(engine overhead per run: {durations.Average() - agentTime.TotalMilliseconds:0} ms on average)");
Console.WriteLine($"slot use: {durations.Sum() / (concurrency * elapsed.TotalMilliseconds) * 100:0.0}% of {concurrency} slots over the run");
Console.WriteLine("memory while running (working set / managed heap), one line per 10% of jobs finished:");
var step = Math.Max(1, jobCount / 10);
foreach (var group in samples.GroupBy(s => s.Finished / step).Select(g => g.First()))
{
    Console.WriteLine($"  {group.Seconds,7:0.0} s  {group.Finished,4} jobs done  {group.WorkingSet / 1048576.0,7:0.0} MB  {group.Managed / 1048576.0,7:0.0} MB");
}

var firstHalf = samples.Take(samples.Count / 2).ToList();
var secondHalf = samples.Skip(samples.Count / 2).ToList();
if (firstHalf.Count > 0 && secondHalf.Count > 0)
{
    Console.WriteLine($"peak working set: first half {firstHalf.Max(s => s.WorkingSet) / 1048576.0:0.0} MB, second half {secondHalf.Max(s => s.WorkingSet) / 1048576.0:0.0} MB");
}

Directory.Delete(data, recursive: true);
return failed == 0 ? 0 : 1;
