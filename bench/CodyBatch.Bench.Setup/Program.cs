using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Checks;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Environments;
using CodyBatch.Core.Workspaces;
using CodyBatch.Sandbox.Bubblewrap;
using CodyBatch.Sandbox.Egress;
using CodyBatch.Testing.Registries;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// A run's setup cold (empty dependency cache) and warm (the cache the previous run of the same repository and lock
// file saved): `npm ci` of a project with --packages dependencies, in the sandbox, through the egress proxy, against
// a registry served here that answers after --latency-ms (as one across a network does). The setup is the one the
// product detects for the project (npm ci with its flags). Each round gets a fresh copy of the project and a fresh
// home; the time counts restoring the cache, preparing the sandbox, setup and (cold) saving the cache. Warm, the
// repository's kept node_modules is restored in place of npm ci (--installed-trees false: npm ci runs from the cache,
// as with CodyBatch:Caches:InstalledTrees=false). The goal is warm at most 25 % of cold.
//
// Each package holds package.json and index.js, and --files-per-package more modules of about a kilobyte.
//
//   dotnet run -c Release --project bench/CodyBatch.Bench.Setup -- [--packages 100] [--latency-ms 40] [--rounds 3] [--installed-trees false]
//     [--files-per-package 0]
if (!OperatingSystem.IsLinux())
{
    Console.Error.WriteLine("The setup benchmark needs Linux (bubblewrap).");
    return 1;
}

var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
var packages = settings.GetValue("packages", 100);
var latency = TimeSpan.FromMilliseconds(settings.GetValue("latency-ms", 40));
var rounds = settings.GetValue("rounds", 3);
var keepTrees = settings.GetValue("installed-trees", true);
var moreFiles = settings.GetValue("files-per-package", 0);
var checkOptions = Options.Create(new CheckOptions { Timeout = TimeSpan.FromMinutes(10) });
var runner = new BubblewrapCheckRunner(checkOptions, NullLogger<BubblewrapCheckRunner>.Instance);
if (await runner.UnavailableReasonAsync(CancellationToken.None) is { } reason)
{
    Console.Error.WriteLine(reason);
    return 1;
}

await using var registry = await FakeNpmRegistry.StartAsync();
registry.Latency = latency;
var dependencies = new JsonObject();
var locked = new JsonObject();
for (var i = 0; i < packages; i++)
{
    var name = $"bench-pkg-{i:D4}";
    registry.Publish(name, "1.0.0", moreFiles);
    dependencies[name] = "^1.0.0";
    locked[$"node_modules/{name}"] = new JsonObject
    {
        ["version"] = "1.0.0",
        ["resolved"] = $"http://registry.bench/{name}/-/{name}-1.0.0.tgz",
        ["integrity"] = registry.Integrity(name, "1.0.0"),
    };
}

locked[""] = new JsonObject { ["name"] = "app", ["version"] = "1.0.0", ["dependencies"] = dependencies.DeepClone() };
var root = Directory.CreateTempSubdirectory("cb-setupbench-").FullName;
var project = Path.Combine(root, "project");
Directory.CreateDirectory(project);
await File.WriteAllTextAsync(Path.Combine(project, "package.json"), new JsonObject { ["name"] = "app", ["version"] = "1.0.0", ["scripts"] = new JsonObject { ["test"] = "node -e 0" }, ["dependencies"] = dependencies }.ToJsonString());
await File.WriteAllTextAsync(Path.Combine(project, "package-lock.json"), new JsonObject { ["name"] = "app", ["version"] = "1.0.0", ["lockfileVersion"] = 3, ["requires"] = true, ["packages"] = locked }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
await File.WriteAllTextAsync(Path.Combine(project, ".npmrc"), "registry=http://registry.bench/\n");

var egress = new EgressOptions { AllowedDomains = ["registry.bench"], HostAddresses = { ["registry.bench"] = new Uri(registry.BaseUrl).Authority } };
using var proxies = new EgressProxyFactory(Options.Create(egress));
var socketFolder = Directory.CreateTempSubdirectory("cb-egress-").FullName;
var socket = Path.Combine(socketFolder, "proxy.sock");
var proxy = await proxies.StartAsync(socket, egress.AllowedDomains, _ => { }, CancellationToken.None);
File.SetUnixFileMode(socketFolder, (UnixFileMode)0b111_001_001);
var network = new SandboxNetwork(socket, egress.AllowedDomains);
var store = new LocalDependencyCacheStore(
    Options.Create(new CodyBatchOptions { DataDirectory = Path.Combine(root, "data") }), Options.Create(new CacheOptions()), TimeProvider.System, NullLogger<LocalDependencyCacheStore>.Instance);

// The setup the product detects for this project (a lock file: npm ci with its flags), run as a run's baseline runs it.
var setupCommands = CheckDetector.Plan(null, project).Setup;
if (setupCommands.Count == 0)
{
    Console.Error.WriteLine("No setup was detected for the benchmark's project.");
    return 1;
}

async Task<Timing> SetupAsync(string scope, int round)
{
    var tree = Path.Combine(root, $"tree-{round}");
    var home = Path.Combine(root, $"home-{round}");
    Directory.CreateDirectory(tree);
    Directory.CreateDirectory(home);
    foreach (var file in Directory.EnumerateFiles(project))
    {
        File.Copy(file, Path.Combine(tree, Path.GetFileName(file)));
    }

    var clock = Stopwatch.StartNew();
    var thread = new AgentThread(scope, "bench", TimeProvider.System);
    var caches = new RunCaches(store, scope, home, thread);
    var installed = caches.InstalledTree(tree, setupCommands, alwaysInstall: !keepTrees);
    var result = await runner.RunAsync(
        new CheckSession(tree, setupCommands, []) { HomePath = home, Network = network, Caches = caches, Installed = installed }, CancellationToken.None);
    var total = clock.Elapsed.TotalMilliseconds;
    if (result.Setup.FirstOrDefault(s => !s.Passed) is { } failed)
    {
        throw new InvalidOperationException($"{failed.Command} failed: {failed.Limit ?? $"exit code {failed.ExitCode}"}\n{failed.Output}");
    }

    // Restoring and saving happen inside the session (around setup); the thread's cache entries time each.
    var entries = JsonNode.Parse(thread.ToJson(new SecretRedactor([])))!["entries"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "cache").ToList();
    var restore = entries.Where(e => e!["restored"] is not null).Sum(e => e!["durationMs"]!.GetValue<long>());
    var save = entries.Where(e => e!["saved"] is not null).Sum(e => e!["durationMs"]!.GetValue<long>());
    var treeRestored = entries.Any(e => e!["ecosystem"]!.GetValue<string>() == InstalledTree.Ecosystem && e["restored"]?.GetValue<bool>() == true);
    var command = treeRestored ? 0 : result.Setup.Sum(s => s.Duration.TotalMilliseconds);
    var installedEntries = Directory.Exists(Path.Combine(tree, "node_modules"))
        ? Directory.EnumerateFileSystemEntries(Path.Combine(tree, "node_modules"), "*", SearchOption.AllDirectories).Count()
        : 0;
    return new Timing(total, restore, total - restore - save - command, command, save, installedEntries);
}

try
{
    var cold = new List<double>();
    var warm = new List<double>();
    var round = 0;
    for (var i = 0; i < rounds; i++)
    {
        // A scope of its own: nothing cached yet, so this is a first run; then a second run of the same repository.
        var scope = $"bench/app-{i}";
        var first = await SetupAsync(scope, round++);
        var before = registry.Requests.Count;
        var second = await SetupAsync(scope, round++);
        if (first.InstalledEntries != second.InstalledEntries || first.InstalledEntries < packages)
        {
            throw new InvalidOperationException($"The warm node_modules has {second.InstalledEntries} entries, the cold one {first.InstalledEntries}.");
        }

        cold.Add(first.Total);
        warm.Add(second.Total);
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"round {i + 1}: cold {first.Total:0} ms, warm {second.Total:0} ms = {100 * second.Total / first.Total:0} % (load average {load}; {registry.Requests.Count - before} registry requests while warm)"));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  cold: restore {first.Restore:0} + sandbox preparation {first.Prepare:0} + setup {first.Command:0} + save {first.Save:0} ms; warm: restore {second.Restore:0} + preparation {second.Prepare:0} + setup {second.Command:0} + save {second.Save:0} ms"));
    }

    cold.Sort();
    warm.Sort();
    var (c, w) = (cold[cold.Count / 2], warm[warm.Count / 2]);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{string.Join(" && ", setupCommands)} of {packages} packages ({moreFiles + 2} files each), registry latency {latency.TotalMilliseconds:0} ms, {rounds} rounds, installed trees {(keepTrees ? "kept" : "not kept")}; {Environment.ProcessorCount} cores"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"setup median: cold {c:0} ms, warm {w:0} ms = {100 * w / c:0} % of cold (goal: at most 25 %) — {(w <= 0.25 * c ? "met" : "NOT met")}"));
    return 0;
}
finally
{
    await proxy.DisposeAsync();
    MountedFolders.DetachUnder(root);
    Directory.Delete(root, recursive: true);
    Directory.Delete(socketFolder, recursive: true);
}

// One setup's time, in milliseconds: all of it, restoring (warm: the kept node_modules, which stands for the setup
// commands; or the package managers' caches), preparing the sandbox (the tree's tmpfs, handing tree and home to the
// sandbox's user), the setup commands (their sandbox start included) and saving (node_modules and the caches).
// InstalledEntries counts what node_modules holds after it (files, folders and links), so cold and warm can be compared.
internal sealed record Timing(double Total, double Restore, double Prepare, double Command, double Save, int InstalledEntries);
