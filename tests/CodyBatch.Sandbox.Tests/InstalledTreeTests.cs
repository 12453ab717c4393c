using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Workspaces;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodyBatch.Sandbox.Tests;

/// <summary>
/// A repository's kept <c>node_modules/</c>, made by a real <c>npm ci</c> in the sandbox (a package from a tarball in
/// the repository, so no registry is needed): the next run of the same repository gets it back in place of the setup;
/// sandboxed code that attacks the restored tree changes only its own copy; a changed lock file, another setup or
/// another repository installs again; a tree whose making could read a file outside the key (a local package's
/// install script, options and settings that name files, a lock file that pins nothing) is never kept.
/// </summary>
public sealed class InstalledTreeTests : IDisposable
{
    private const string Setup = "npm ci --offline --no-audit --no-fund";
    private const string Original = "module.exports = () => 'hello';\n";
    private readonly TempDirectory _root = new("codybatch-installed-tree");
    private readonly LocalDependencyCacheStore _store;
    private readonly BubblewrapCheckRunner _runner = Sandbox.Runner(o => o.Timeout = TimeSpan.FromMinutes(2));
    private int _runs;

    public InstalledTreeTests() => _store = new LocalDependencyCacheStore(
        Options.Create(new CodyBatchOptions { DataDirectory = _root.Combine("data") }), Options.Create(new CacheOptions()), TimeProvider.System,
        NullLogger<LocalDependencyCacheStore>.Instance);

    public void Dispose()
    {
        MountedFolders.DetachUnder(_root.Path);
        _root.Dispose();
    }

    [Fact]
    public async Task The_next_run_gets_the_kept_tree_in_place_of_npm_ci_and_what_the_sandbox_did_to_a_restored_tree_never_reaches_the_run_after()
    {
        Assert.Null(await _runner.UnavailableReasonAsync(CancellationToken.None));
        var (cold, coldThread) = await RunAsync("octo/app", "1.0.0", "node -e \"console.log(require('greet')())\" && node_modules/.bin/greet");
        Assert.Equal(0, Assert.Single(cold.Setup).ExitCode);
        Assert.DoesNotContain("Not run", cold.Setup[0].Output, StringComparison.Ordinal);
        Assert.Equal("hello\nhello\n", Assert.Single(cold.Checks).Output);
        Assert.Contains(Cache(coldThread), e => e["saved"]?.GetValue<bool>() == true);

        // The warm run: npm ci does not run, the tree (its .bin link included) is there, and the sandbox attacks it.
        const string Attack = """
            node -e "console.log(require('greet')())" && node_modules/.bin/greet
            echo "module.exports = () => 'planted';" > node_modules/greet/index.js && echo wrote
            ln -sf /bin/false node_modules/.bin/greet && echo relinked
            echo planted > node_modules/greet/extra.js
            node -e "console.log(require('greet')())"
            """;
        var (warm, warmThread) = await RunAsync("octo/app", "1.0.0", Attack);
        Assert.StartsWith("Not run: node_modules/ was restored", Assert.Single(warm.Setup).Output, StringComparison.Ordinal);
        Assert.Equal(0, warm.Setup[0].ExitCode);
        Assert.Contains(Cache(warmThread), e => e["restored"]?.GetValue<bool>() == true);
        Assert.DoesNotContain(Cache(warmThread), e => e["saved"] is not null);
        Assert.Equal("hello\nhello\nwrote\nrelinked\nplanted\n", Assert.Single(warm.Checks).Output);

        // The run after it gets the tree as npm ci left it, not as the attack did.
        var (next, _) = await RunAsync("octo/app", "1.0.0", "cat node_modules/greet/index.js; ls node_modules/greet; readlink node_modules/.bin/greet; node_modules/.bin/greet");
        Assert.StartsWith("Not run", next.Setup[0].Output, StringComparison.Ordinal);
        Assert.Equal(Original + "bin\nindex.js\npackage.json\n../greet/bin/greet.js\nhello\n", Assert.Single(next.Checks).Output);
    }

    [Fact]
    public async Task A_changed_lock_file_or_npmrc_another_setup_another_repository_or_always_install_runs_npm_ci_again()
    {
        Assert.Null(await _runner.UnavailableReasonAsync(CancellationToken.None));
        await RunAsync("octo/app", "1.0.0", "true");

        var (changedLock, changedThread) = await RunAsync("octo/app", "1.0.1", "node -e \"console.log(require('greet/package.json').version)\"");
        Assert.DoesNotContain("Not run", Assert.Single(changedLock.Setup).Output, StringComparison.Ordinal);
        Assert.Equal("1.0.1\n", Assert.Single(changedLock.Checks).Output);
        Assert.Contains(Cache(changedThread), e => e["restored"]?.GetValue<bool>() == false);

        var (npmrc, _) = await RunAsync("octo/app", "1.0.0", "true", change: tree => File.WriteAllText(Path.Combine(tree, ".npmrc"), "omit=dev\n"));
        Assert.DoesNotContain("Not run", Assert.Single(npmrc.Setup).Output, StringComparison.Ordinal);

        var (otherSetup, _) = await RunAsync("octo/app", "1.0.0", "true", setup: "npm ci --offline --no-audit");
        Assert.DoesNotContain("Not run", Assert.Single(otherSetup.Setup).Output, StringComparison.Ordinal);

        // Another repository with the very same files never gets octo/app's tree.
        var (otherRepository, _) = await RunAsync("octo/other", "1.0.0", "true");
        Assert.DoesNotContain("Not run", Assert.Single(otherRepository.Setup).Output, StringComparison.Ordinal);

        var (always, alwaysThread) = await RunAsync("octo/app", "1.0.0", "true", alwaysInstall: true);
        Assert.DoesNotContain("Not run", Assert.Single(always.Setup).Output, StringComparison.Ordinal);
        Assert.Empty(Cache(alwaysThread));

        var (again, _) = await RunAsync("octo/app", "1.0.0", "true");
        Assert.StartsWith("Not run", Assert.Single(again.Setup).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_local_package_whose_install_script_reads_a_file_outside_the_key_is_installed_again_when_only_that_file_changed()
    {
        Assert.Null(await _runner.UnavailableReasonAsync(CancellationToken.None));
        const string Check = "cat node_modules/.gen";
        var (first, firstThread) = await RunAsync("octo/app", "1.0.0", Check, change: tree => LocalPackage(tree, "one"));
        Assert.Equal("one\n", Assert.Single(first.Checks).Output);
        var notKept = Assert.Single(Cache(firstThread));
        Assert.False(notKept["kept"]!.GetValue<bool>());
        Assert.Equal("package-lock.json: \"local\" has install scripts", notKept["reason"]!.GetValue<string>());

        // A pull request's head changes only the local package's source (not the lock file, not package.json): the run
        // after it installs again and sees what this commit's source makes, not a tree another commit shaped.
        var (second, secondThread) = await RunAsync("octo/app", "1.0.0", Check, change: tree => LocalPackage(tree, "two"));
        Assert.DoesNotContain("Not run", Assert.Single(second.Setup).Output, StringComparison.Ordinal);
        Assert.Equal("two\n", Assert.Single(second.Checks).Output);
        Assert.DoesNotContain(Cache(secondThread), e => e["restored"] is not null || e["saved"] is not null);
    }

    [Fact]
    public async Task A_lock_file_that_hides_a_packages_install_script_gets_a_tree_made_without_running_it_so_no_other_file_shapes_it()
    {
        Assert.Null(await _runner.UnavailableReasonAsync(CancellationToken.None));
        // npm runs a package's install script only when a lockfileVersion 2/3 lock declares it (hasInstallScript), and a
        // setup whose tree is kept runs with ignore-scripts besides: either way the tree is what the lock file says.
        const string Check = "if [ -e node_modules/.gen ]; then cat node_modules/.gen; else echo none; fi";
        var (first, firstThread) = await RunAsync("octo/app", "1.0.0", Check, change: tree => HiddenInstallScript(tree, "one"));
        Assert.Equal("none\n", Assert.Single(first.Checks).Output);
        Assert.Contains(Cache(firstThread), e => e["saved"]?.GetValue<bool>() == true);

        var (second, _) = await RunAsync("octo/app", "1.0.0", Check, change: tree => HiddenInstallScript(tree, "two"));
        Assert.StartsWith("Not run", Assert.Single(second.Setup).Output, StringComparison.Ordinal);
        Assert.Equal("none\n", Assert.Single(second.Checks).Output);
    }

    [Fact]
    public async Task Only_a_setup_of_npm_ci_alone_in_a_repository_without_workspaces_or_its_own_node_modules_qualifies()
    {
        var tree = Repository("1.0.0");
        Assert.NotNull(InstalledTree.For(_store, "octo/app", tree, [Setup], null));
        Assert.Null(InstalledTree.For(_store, "octo/app", tree, ["npm ci && npm run build"], null));
        Assert.Null(InstalledTree.For(_store, "octo/app", tree, [Setup, "npm run build"], null));
        Assert.Null(InstalledTree.For(_store, "octo/app", tree, ["npm ci --prefix=elsewhere"], null));
        Assert.Null(InstalledTree.For(_store, "octo/app", tree, ["npm install"], null));

        // An option that names a file npm reads (outside the key) keeps no tree.
        Assert.Null(InstalledTree.For(_store, "octo/app", tree, ["npm ci --userconfig=.npmrc.ci"], null));
        Assert.Null(InstalledTree.For(_store, "octo/app", tree, ["npm ci --cafile=certs/ca.pem"], null));

        var workspaces = Repository("1.0.0");
        File.WriteAllText(Path.Combine(workspaces, "package.json"), """{ "name": "app", "workspaces": ["packages/*"] }""");
        Assert.Null(InstalledTree.For(_store, "octo/app", workspaces, [Setup], null));

        var committed = Repository("1.0.0");
        Directory.CreateDirectory(Path.Combine(committed, "node_modules"));
        Assert.Null(InstalledTree.For(_store, "octo/app", committed, [Setup], null));

        // The root package's own install scripts can read any file of the commit, not only those in the key: not kept.
        foreach (var script in new[] { "postinstall", "prepare", "preinstall" })
        {
            var scripted = Repository("1.0.0");
            File.WriteAllText(Path.Combine(scripted, "package.json"), $$"""{ "name": "app", "scripts": { "{{script}}": "node scripts/setup.js" } }""");
            Assert.Null(InstalledTree.For(_store, "octo/app", scripted, [Setup], null));
        }

        var unreadable = Repository("1.0.0");
        File.WriteAllText(Path.Combine(unreadable, "package.json"), "{ not json");
        Assert.Null(InstalledTree.For(_store, "octo/app", unreadable, [Setup], null));

        // .npmrc settings that name a file, or an .npmrc that is a link, keep no tree; a registry setting does.
        var npmrc = Repository("1.0.0");
        File.WriteAllText(Path.Combine(npmrc, ".npmrc"), "registry=https://registry.example/\n@acme:registry=https://npm.acme.example/\n//npm.acme.example/:_authToken=x\n");
        Assert.Null(InstalledTree.WhyNotKept(npmrc, [Setup]));
        foreach (var setting in new[] { "userconfig=.npmrc.ci", "cafile=ca.pem", "//npm.acme.example/:certfile=cert.pem", "node-options=--require ./x.js", "[section]" })
        {
            File.WriteAllText(Path.Combine(npmrc, ".npmrc"), setting + "\n");
            Assert.NotNull(InstalledTree.WhyNotKept(npmrc, [Setup]));
        }

        var npmrcLink = Repository("1.0.0");
        File.WriteAllText(Path.Combine(npmrcLink, "elsewhere"), "omit=dev\n");
        File.CreateSymbolicLink(Path.Combine(npmrcLink, ".npmrc"), "elsewhere");
        Assert.Equal(".npmrc is a link or too large", InstalledTree.WhyNotKept(npmrcLink, [Setup]));

        // The lock file: a package with install scripts, a link to a folder of the repository, a package outside the
        // root's node_modules/, a tarball whose bytes are not those its integrity names, an old format: none is kept.
        foreach (var (edit, reason) in new (Action<JsonObject>, string)[]
        {
            (l => l["packages"]!["node_modules/greet"]!["hasInstallScript"] = true, "package-lock.json: \"node_modules/greet\" has install scripts"),
            (l => l["packages"]!["node_modules/greet"]!["link"] = true, "package-lock.json: \"node_modules/greet\" is a link to a folder of the repository"),
            (l => l["packages"]!["tools/dep"] = new JsonObject { ["version"] = "1.0.0" }, "package-lock.json: \"tools/dep\" is installed outside the root's node_modules/"),
            (l => l["packages"]!["node_modules/../x"] = new JsonObject { ["version"] = "1.0.0" }, "package-lock.json: \"node_modules/../x\" is installed outside the root's node_modules/"),
            (l => l["packages"]!["node_modules/greet"]!["integrity"] = "sha512-" + Convert.ToBase64String(new byte[64]), "package-lock.json: \"node_modules/greet\" comes from `file:vendor/greet-1.0.0.tgz`, which its integrity does not pin"),
            (l => l["packages"]!["node_modules/greet"]!["resolved"] = "git+https://example.com/greet.git", "package-lock.json: \"node_modules/greet\" comes from `git+https://example.com/greet.git`, which its integrity does not pin"),
            (l => l["packages"]!["node_modules/greet"]!.AsObject().Remove("integrity"), "package-lock.json: \"node_modules/greet\" has no `integrity` pinning its content"),
            (l => l["packages"]!["node_modules/greet"]!["inBundle"] = true, "package-lock.json: \"node_modules/greet\" is bundled by the root package, which no integrity pins"),
            (l => l["packages"]!["node_modules/watch"] = new JsonObject { ["version"] = "2.3.3", ["optional"] = true, ["os"] = new JsonArray("linux"), ["hasInstallScript"] = true },
                "package-lock.json: \"node_modules/watch\" has install scripts"),
            (l => l["lockfileVersion"] = 1, "package-lock.json is not of lockfileVersion 2 or 3 with its `packages`"),
        })
        {
            var locked = Repository("1.0.0");
            var lockFile = JsonNode.Parse(File.ReadAllText(Path.Combine(locked, "package-lock.json")))!.AsObject();
            edit(lockFile);
            File.WriteAllText(Path.Combine(locked, "package-lock.json"), lockFile.ToJsonString());
            Assert.Equal(reason, InstalledTree.WhyNotKept(locked, [Setup]));
            Assert.Null(InstalledTree.For(_store, "octo/app", locked, [Setup], null));
        }

        // Kept: a package pinned by its integrity alone (npm fetches that version from the registry and checks it), an
        // optional package for another system (npm leaves it out here, install scripts and all), a package that comes
        // inside another package's tarball.
        foreach (var edit in new Action<JsonObject>[]
        {
            l => l["packages"]!["node_modules/greet"]!.AsObject().Remove("resolved"),
            l => l["packages"]!["node_modules/fsevents"] = new JsonObject
            {
                ["version"] = "2.3.3", ["optional"] = true, ["os"] = new JsonArray("darwin"), ["hasInstallScript"] = true,
            },
            l => l["packages"]!["node_modules/greet/node_modules/inner"] = new JsonObject { ["version"] = "1.0.0", ["inBundle"] = true },
        })
        {
            var locked = Repository("1.0.0");
            var lockFile = JsonNode.Parse(File.ReadAllText(Path.Combine(locked, "package-lock.json")))!.AsObject();
            edit(lockFile);
            File.WriteAllText(Path.Combine(locked, "package-lock.json"), lockFile.ToJsonString());
            Assert.Null(InstalledTree.WhyNotKept(locked, [Setup]));
        }

        // A tarball reached through a link (its bytes could change outside the key) and a lock file that is a FIFO (a
        // read would wait for a writer) are not read: neither is kept, and nothing hangs.
        var tarballLinked = Repository("1.0.0");
        var vendorElsewhere = _root.Combine("outside", "vendor");
        Directory.CreateDirectory(Path.GetDirectoryName(vendorElsewhere)!);
        Directory.Move(Path.Combine(tarballLinked, "vendor"), vendorElsewhere);
        File.CreateSymbolicLink(Path.Combine(tarballLinked, "vendor"), vendorElsewhere);
        Assert.Equal("package-lock.json: \"node_modules/greet\" comes from `file:vendor/greet-1.0.0.tgz`, which its integrity does not pin", InstalledTree.WhyNotKept(tarballLinked, [Setup]));
        var fifoLock = Repository("1.0.0");
        File.Delete(Path.Combine(fifoLock, "package-lock.json"));
        await Fifo.MakeAsync(Path.Combine(fifoLock, "package-lock.json"));
        Assert.Equal("package-lock.json is missing, a link or too large", InstalledTree.WhyNotKept(fifoLock, [Setup]));

        var testScriptOnly = Repository("1.0.0");
        File.WriteAllText(Path.Combine(testScriptOnly, "package.json"), """{ "name": "app", "scripts": { "test": "node test.js" } }""");
        Assert.NotNull(InstalledTree.For(_store, "octo/app", testScriptOnly, [Setup], null));

        // A link the repository holds where node_modules/ would go, even one that leads nowhere, is never written through.
        var linked = Repository("1.0.0");
        File.CreateSymbolicLink(Path.Combine(linked, "node_modules"), _root.Combine("outside", "node_modules"));
        Assert.Null(InstalledTree.For(_store, "octo/app", linked, [Setup], null));
    }

    [Fact]
    public async Task A_link_planted_where_node_modules_goes_after_planning_is_never_restored_through()
    {
        var first = Repository("1.0.0");
        var kept = InstalledTree.For(_store, "octo/app", first, [Setup], null)!;
        Assert.False(await kept.RestoreAsync(first, "toolchain", CancellationToken.None));
        Directory.CreateDirectory(Path.Combine(first, "node_modules", "greet"));
        await File.WriteAllTextAsync(Path.Combine(first, "node_modules", "greet", "index.js"), Original);
        await kept.SaveAsync(first, CancellationToken.None);

        var planted = Repository("1.0.0");
        var later = InstalledTree.For(_store, "octo/app", planted, [Setup], null)!;
        var outside = _root.Combine("outside", "node_modules");
        File.CreateSymbolicLink(Path.Combine(planted, "node_modules"), outside);
        Assert.False(await later.RestoreAsync(planted, "toolchain", CancellationToken.None));
        Assert.False(Path.Exists(outside));

        var clean = Repository("1.0.0");
        Assert.True(await InstalledTree.For(_store, "octo/app", clean, [Setup], null)!.RestoreAsync(clean, "toolchain", CancellationToken.None));
        Assert.Equal(Original, await File.ReadAllTextAsync(Path.Combine(clean, "node_modules", "greet", "index.js")));
    }

    [Fact]
    public async Task A_stored_tree_whose_entry_would_go_through_a_link_is_not_restored_and_writes_nothing_outside()
    {
        var key = new DependencyCacheKey("octo/app", InstalledTree.Ecosystem, new string('b', 64));
        var folder = _store.FolderOf(key);
        Directory.CreateDirectory(folder);
        var outside = _root.Combine("outside");
        Directory.CreateDirectory(outside);
        await using (var file = File.Create(Path.Combine(folder, "content.tar")))
        await using (var tar = new TarWriter(file, TarEntryFormat.Pax))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "escape") { LinkName = outside });
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "escape/planted.js") { DataStream = new MemoryStream("planted"u8.ToArray()) });
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "saved"), DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var target = _root.Combine("run", "node_modules");

        Assert.False(await _store.RestoreAsync(key, target, CancellationToken.None));
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.False(Path.Exists(target));
    }

    // One run's session: setup (npm ci, or the kept tree) and one check, in a fresh copy of the repository.
    private async Task<(CheckSessionResult Result, AgentThread Thread)> RunAsync(
        string repository, string version, string check, string setup = Setup, bool alwaysInstall = false, Action<string>? change = null)
    {
        var tree = Repository(version);
        change?.Invoke(tree);
        var home = _root.Combine($"home-{_runs}");
        Directory.CreateDirectory(home);
        var thread = new AgentThread(repository, "test", TimeProvider.System);
        var caches = new RunCaches(_store, repository, home, thread);
        var session = new CheckSession(tree, [setup], [new CheckDefinition("check", check)])
        {
            HomePath = home,
            Installed = caches.InstalledTree(tree, [setup], alwaysInstall),
        };
        var result = await _runner.RunAsync(session, CancellationToken.None);
        Assert.True(result.Setup.All(s => s.Passed), string.Join("\n", result.Setup.Select(s => s.Output)));
        return (result, thread);
    }

    // A repository depending on greet@version from a tarball it holds, locked.
    private string Repository(string version)
    {
        var tree = _root.Combine($"tree-{_runs++}");
        Greet(tree, version, installScript: false);
        return tree;
    }

    // A package from the repository's own folder (file:./local), as npm locks it, whose install script writes
    // node_modules/.gen from a file of that folder; nothing in the key changes with that file.
    private static void LocalPackage(string tree, string source)
    {
        Directory.CreateDirectory(Path.Combine(tree, "local"));
        File.WriteAllText(Path.Combine(tree, "local", "src.txt"), source + "\n");
        File.WriteAllText(Path.Combine(tree, "local", "gen.js"), "require('fs').writeFileSync('../node_modules/.gen', require('fs').readFileSync('src.txt'));\n");
        File.WriteAllText(Path.Combine(tree, "local", "package.json"), """{ "name": "dep", "version": "1.0.0", "scripts": { "install": "node gen.js" } }""");
        File.WriteAllText(Path.Combine(tree, "package.json"), """{ "name": "app", "version": "1.0.0", "dependencies": { "dep": "file:./local" } }""");
        File.WriteAllText(Path.Combine(tree, "package-lock.json"), """
            { "name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": true, "packages": {
              "": { "name": "app", "version": "1.0.0", "dependencies": { "dep": "file:./local" } },
              "local": { "name": "dep", "version": "1.0.0", "hasInstallScript": true },
              "node_modules/dep": { "resolved": "local", "link": true } } }
            """);
    }

    // greet with a postinstall that writes node_modules/.gen from the repository's src.txt, locked without saying so.
    private static void HiddenInstallScript(string tree, string source)
    {
        File.WriteAllText(Path.Combine(tree, "src.txt"), source + "\n");
        Greet(tree, "1.0.0", installScript: true);
    }

    private static void Greet(string tree, string version, bool installScript)
    {
        Directory.CreateDirectory(Path.Combine(tree, "vendor"));
        var tarball = $"vendor/greet-{version}.tgz";
        var bytes = Tarball(version, installScript);
        File.WriteAllBytes(Path.Combine(tree, tarball), bytes);
        var dependency = $"file:{tarball}";
        File.WriteAllText(Path.Combine(tree, "package.json"), new JsonObject { ["name"] = "app", ["version"] = "1.0.0", ["dependencies"] = new JsonObject { ["greet"] = dependency } }.ToJsonString());
        File.WriteAllText(Path.Combine(tree, "package-lock.json"), new JsonObject
        {
            ["name"] = "app",
            ["version"] = "1.0.0",
            ["lockfileVersion"] = 3,
            ["requires"] = true,
            ["packages"] = new JsonObject
            {
                [""] = new JsonObject { ["name"] = "app", ["version"] = "1.0.0", ["dependencies"] = new JsonObject { ["greet"] = dependency } },
                ["node_modules/greet"] = new JsonObject
                {
                    ["version"] = version,
                    ["resolved"] = dependency,
                    ["integrity"] = $"sha512-{Convert.ToBase64String(SHA512.HashData(bytes))}",
                    ["bin"] = new JsonObject { ["greet"] = "bin/greet.js" },
                },
            },
        }.ToJsonString());
    }

    private static byte[] Tarball(string version, bool installScript = false)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            var scripts = installScript ? """, "scripts": { "postinstall": "node gen.js" }""" : "";
            Add(tar, "package/package.json", $$"""{ "name": "greet", "version": "{{version}}", "main": "index.js", "bin": { "greet": "bin/greet.js" }{{scripts}} }""", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            if (installScript)
            {
                Add(tar, "package/gen.js", "require('fs').writeFileSync('../.gen', require('fs').readFileSync('../../src.txt'));\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            Add(tar, "package/index.js", Original, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            Add(tar, "package/bin/greet.js", "#!/usr/bin/env node\nconsole.log(require('../index.js')());\n", (UnixFileMode)0b111_101_101);
        }

        return buffer.ToArray();
    }

    private static void Add(TarWriter tar, string name, string content, UnixFileMode mode)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = mode, ModificationTime = DateTimeOffset.UnixEpoch, DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)) };
        tar.WriteEntry(entry);
    }

    private static List<JsonObject> Cache(AgentThread thread) =>
        [.. JsonNode.Parse(thread.ToJson(new SecretRedactor([])))!["entries"]!.AsArray()
            .Select(e => e!.AsObject())
            .Where(e => e["type"]!.GetValue<string>() == "cache" && e["ecosystem"]?.GetValue<string>() == InstalledTree.Ecosystem)];
}
