using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using CodyBatch.Core.Repositories;
using CodyBatch.GitHub;
using CodyBatch.GitHub.Api;
using CodyBatch.GitHub.Repositories;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

// Fetch + extract of a GitHub-style tarball (~100 MB unpacked by default) served from disk by a
// local server that answers like GitHub (302 from the API to the download host), through the
// GitHub host, against `curl -sL … | tar xz` of the same archive. Prints times and this
// process's peak working set.
//
//   dotnet run -c Release --project bench/CodyBatch.Bench.Tarball -- [--megabytes 100] [--rounds 3]
var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
var megabytes = settings.GetValue("megabytes", 100);
var rounds = settings.GetValue("rounds", 3);
var root = Path.Combine(Path.GetTempPath(), $"codybatch-tarbench-{Guid.NewGuid():N}");
Directory.CreateDirectory(root);
var archive = Path.Combine(root, "repo.tar.gz");
WriteArchive(archive, megabytes);
Console.WriteLine($"archive: {new FileInfo(archive).Length / 1048576.0:0.0} MB compressed, {megabytes} MB of files");

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();
var server = builder.Build();
foreach (var prefix in new[] { "/api/v3", "" })
{
    // The host asks at the API root as configured; GitHub Enterprise roots end in /api/v3.
    server.MapGet(prefix + "/repos/{owner}/{name}/tarball/{sha}", (HttpContext context, string owner, string name, string sha) =>
        Results.Redirect($"{context.Request.Scheme}://{context.Request.Host}/_codeload/{owner}/{name}/legacy.tar.gz/{sha}"));
}

server.MapGet("/_codeload/{owner}/{name}/legacy.tar.gz/{sha}", () => Results.File(archive, "application/x-gzip"));
await server.StartAsync();
var baseUrl = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";

var options = Options.Create(new GitHubOptions());
using var connection = new GitHubConnection(
    new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["GITHUB_TOKEN"] = "ghp_benchmark000000000000000000",
        ["GITHUB_API_URL"] = baseUrl,
    }).Build(),
    new GitHubRateLimits(TimeProvider.System),
    options,
    TimeProvider.System);
var host = new GitHubRepositoryHost(connection, new GitHubCalls(options, TimeProvider.System), options);
var repository = new ResolvedRepository("bench/repo", "main", "0123456789abcdef0123456789abcdef01234567", true);

var ours = new List<double>();
var theirs = new List<double>();
var local = new List<double>();
for (var i = 0; i < rounds; i++)
{
    var target = Path.Combine(root, $"ours-{i}");
    Directory.CreateDirectory(target);
    var clock = Stopwatch.StartNew();
    await host.FetchSnapshotAsync(repository, target, CancellationToken.None);
    ours.Add(clock.Elapsed.TotalMilliseconds);
    Directory.Delete(target, recursive: true);

    var fromDisk = Path.Combine(root, $"disk-{i}");
    clock.Restart();
    await using (var stream = File.OpenRead(archive))
    {
        await new TarballExtractor(options.Value).ExtractAsync(stream, fromDisk, CancellationToken.None);
    }

    local.Add(clock.Elapsed.TotalMilliseconds);
    Directory.Delete(fromDisk, recursive: true);

    var plain = Path.Combine(root, $"plain-{i}");
    Directory.CreateDirectory(plain);
    clock.Restart();
    using (var process = Process.Start(new ProcessStartInfo("bash", ["-c", $"curl -sL '{baseUrl}api/v3/repos/bench/repo/tarball/{repository.CommitSha}' | tar xz -C '{plain}'"]))!)
    {
        await process.WaitForExitAsync();
    }

    theirs.Add(clock.Elapsed.TotalMilliseconds);
    Directory.Delete(plain, recursive: true);
}

var process2 = Process.GetCurrentProcess();
process2.Refresh();
double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
Console.WriteLine($"GitHub host fetch + extract: median {Median(ours):0} ms");
Console.WriteLine($"extract from disk only:      median {Median(local):0} ms");
Console.WriteLine($"curl | tar xz:               median {Median(theirs):0} ms");
Console.WriteLine($"ratio: {Median(ours) / Median(theirs):0.00}× (goal: within 1.3×)");
Console.WriteLine($"peak working set of this process: {process2.PeakWorkingSet64 / 1048576.0:0.0} MB (goal: under 150 MB; includes the local server)");
await server.StopAsync();
Directory.Delete(root, recursive: true);

static void WriteArchive(string path, int megabytes)
{
    var random = new Random(42);
    var words = Enumerable.Range(0, 2000).Select(_ => new string(Enumerable.Range(0, random.Next(3, 10)).Select(_ => (char)('a' + random.Next(26))).ToArray())).ToArray();
    using var file = File.Create(path);
    using var gzip = new GZipStream(file, CompressionLevel.Fastest);
    using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
    tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bench-repo-0123456/"));
    long written = 0;
    for (var i = 0; written < (long)megabytes << 20; i++)
    {
        var text = new System.Text.StringBuilder();
        while (text.Length < 20_000)
        {
            text.Append(words[random.Next(words.Length)]).Append(random.Next(12) == 0 ? '\n' : ' ');
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(text.ToString());
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"bench-repo-0123456/dir{i % 100}/file{i}.txt") { DataStream = new MemoryStream(bytes) });
        written += bytes.Length;
    }
}
