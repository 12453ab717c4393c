using System.Diagnostics;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Workspaces;
using CodyBatch.LocalGit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

// Patch creation on a large tree: N files, M of them changed. Times the workspace's patch
// (git add, size checks, git diff --binary, git apply --check against the baseline) against
// plain `git diff --binary HEAD` of the same change in an ordinary repository, and reports
// this process's peak memory.
//
//   dotnet run -c Release --project bench/CodyBatch.Bench.Patch -- [--files 20000] [--changed 500] [--rounds 3]
var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
var fileCount = settings.GetValue("files", 20_000);
var changedCount = settings.GetValue("changed", 500);
var rounds = settings.GetValue("rounds", 3);

var root = Path.Combine(Path.GetTempPath(), $"codybatch-patchbench-{Guid.NewGuid():N}");
var source = Path.Combine(root, "source");
var files = Enumerable.Range(0, fileCount).Select(i => $"module-{i % 200:000}/sub-{i % 7}/file-{i:00000}.txt").ToArray();
var changed = files.Where((_, i) => i % (fileCount / changedCount) == 0).Take(changedCount).ToArray();
WriteTree(source);
Console.WriteLine($"{fileCount:N0} files ({DirectorySize(source) / 1048576.0:0.0} MB), {changed.Length} changed, {rounds} rounds each");

// Plain git: the tree committed in an ordinary repository, the same files changed in the working tree.
var plain = Path.Combine(root, "plain");
CopyTree(source, plain);
await GitCommandLine.RunAsync(plain, ["init", "--quiet"], CancellationToken.None);
await GitCommandLine.RunAsync(plain, ["add", "--all"], CancellationToken.None);
await GitCommandLine.RunAsync(plain, ["commit", "--quiet", "-m", "base"], CancellationToken.None);
Change(plain);
var plainTimes = new List<double>();
var plainPatch = "";
for (var i = 0; i < rounds; i++)
{
    var clock = Stopwatch.StartNew();
    plainPatch = await GitCommandLine.RunAsync(plain, ["diff", "--binary", "--full-index", "HEAD"], CancellationToken.None);
    plainTimes.Add(clock.Elapsed.TotalMilliseconds);
}

// The workspace: a fresh one per round, so every round pays what a run pays.
var factory = new WorkspaceFactory(
    Options.Create(new CodyBatchOptions { DataDirectory = Path.Combine(root, "data") }),
    Options.Create(new WorkspaceOptions { MaxPatchBytes = 1L << 30 }), new GitCommandLine());
var baselineTimes = new List<double>();
var patchTimes = new List<double>();
var patch = "";
for (var i = 0; i < rounds; i++)
{
    await using var workspace = factory.Create("bench", "bench/tree", i);
    CopyTree(source, workspace.RepositoryPath);
    var clock = Stopwatch.StartNew();
    await workspace.BaselineAsync(CancellationToken.None);
    baselineTimes.Add(clock.Elapsed.TotalMilliseconds);
    Change(workspace.RepositoryPath);
    clock.Restart();
    patch = await workspace.CreatePatchAsync(CancellationToken.None);
    patchTimes.Add(clock.Elapsed.TotalMilliseconds);
}

var process = Process.GetCurrentProcess();
Console.WriteLine($"plain git diff:        median {Median(plainTimes),8:0} ms   ({plainPatch.Length / 1024.0:0} KiB)");
Console.WriteLine($"workspace patch:       median {Median(patchTimes),8:0} ms   ({patch.Length / 1024.0:0} KiB, {Median(patchTimes) / Median(plainTimes):0.0}x plain; includes add, size checks and apply --check)");
Console.WriteLine($"workspace baseline:    median {Median(baselineTimes),8:0} ms   (once per run, before the agent starts)");
Console.WriteLine($"same change:           {(Normalize(patch) == Normalize(plainPatch) ? "yes" : "NO")}");
Console.WriteLine($"peak working set:      {process.PeakWorkingSet64 / 1048576.0:0.0} MB (this process; git runs as child processes)");
Console.WriteLine($"managed heap now:      {GC.GetTotalMemory(false) / 1048576.0:0.0} MB");
Directory.Delete(root, recursive: true);

void WriteTree(string target)
{
    foreach (var (file, i) in files.Select((f, i) => (f, i)))
    {
        var path = Path.Combine(target, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Concat(Enumerable.Range(0, 20).Select(line => $"file {i} line {line}: some ordinary source text\n")));
    }
}

void Change(string tree)
{
    foreach (var file in changed)
    {
        var path = Path.Combine(tree, file);
        File.WriteAllText(path, File.ReadAllText(path).Replace("line 10:", "line ten:", StringComparison.Ordinal));
    }
}

static void CopyTree(string from, string to)
{
    foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
    {
        var relative = Path.GetRelativePath(from, file);
        if (relative.StartsWith(".git", StringComparison.Ordinal))
        {
            continue;
        }

        var target = Path.Combine(to, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(file, target);
    }
}

static long DirectorySize(string path) => Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

// Index lines carry the same blob ids either way; only headers could differ in order.
static string Normalize(string diff) => string.Join('\n', diff.Split('\n').Order(StringComparer.Ordinal));
