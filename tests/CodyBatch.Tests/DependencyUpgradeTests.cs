using CodyBatch.Testing.Registries;
using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Tests;

/// <summary>
/// The job fleet tools exist for, end to end: Claude (the real agent against the fake Messages API) upgrades a
/// dependency with the package manager through <c>bash</c>, against a registry served here and reached through the
/// egress allow-list proxy by a name mapped to it; the lock file changes with the manifest in the patch, the checks
/// pass after it, and a second run of the same repository restores the dependency cache its first run saved.
/// </summary>
public sealed class DependencyUpgradeTests : ClaudeOnFakeGitHub
{
    private FakeNpmRegistry _npm = null!;
    private FakePackageIndex _pypi = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _npm = (await FakeNpmRegistry.StartAsync()).Publish("demo-pad", "1.0.0").Publish("demo-pad", "2.0.0");
        _pypi = (await FakePackageIndex.StartAsync()).Publish("demo-pad", "1.0.0").Publish("demo-pad", "2.0.0");
        Factory.Settings["CodyBatch:Checks:Timeout"] = "00:02:00";
        Factory.Settings["CodyBatch:Egress:AllowedDomains:0"] = "registry.test";
        Factory.Settings["CodyBatch:Egress:AllowedDomains:1"] = "pypi.test";
        Factory.Settings["CodyBatch:Egress:HostAddresses:registry.test"] = new Uri(_npm.BaseUrl).Authority;
        Factory.Settings["CodyBatch:Egress:HostAddresses:pypi.test"] = new Uri(_pypi.BaseUrl).Authority;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _npm.DisposeAsync();
        await _pypi.DisposeAsync();
    }

    [Fact]
    public async Task Claude_upgrades_an_npm_dependency_with_npm_the_lock_file_follows_and_the_next_run_installs_from_the_cache()
    {
        NodeApp("app")
            .With(".gitignore", "node_modules/\n")
            .With("test.js", "const pad = require('demo-pad');\nif (!/^\\d+\\.\\d+\\.\\d+$/.test(pad.version)) { process.exit(1); }\nconsole.log('demo-pad ' + pad.version);\n")
            .With(".codybatch/checks.json", """{ "setup": ["npm ci --no-audit --no-fund"], "alwaysInstall": true, "checks": [{ "name": "test", "command": "node test.js" }] }""");
        Claude.Enqueue(
            Message(ToolUse("bash", new JsonObject { ["command"] = "npm install --no-audit --no-fund demo-pad@2.0.0 && node test.js" })),
            Submit("Upgraded demo-pad to 2.0.0."));
        var (client, id, run) = await RunAsync("octo/app");
        Assert.Equal("passed", run["verification"]!["status"]!.GetValue<string>());
        var upgrade = ToolResult(Claude.Requests[1].Body);
        Assert.Contains("demo-pad 2.0.0\n[exit code 0 · ", upgrade, StringComparison.Ordinal);

        var patch = await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/app/patch");
        Assert.Contains("-    \"demo-pad\": \"^1.0.0\"\n+    \"demo-pad\": \"^2.0.0\"", patch, StringComparison.Ordinal);
        Assert.Contains("+++ b/package-lock.json", patch, StringComparison.Ordinal);
        Assert.Contains("+      \"resolved\": \"http://registry.test/demo-pad/-/demo-pad-2.0.0.tgz\"", patch, StringComparison.Ordinal);
        Assert.Contains($"+      \"integrity\": \"{_npm.Integrity("demo-pad", "2.0.0")}\"", patch, StringComparison.Ordinal);
        Assert.DoesNotContain("node_modules/demo-pad/", patch, StringComparison.Ordinal);

        var thread = JsonNode.Parse(await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/app/thread"))!["entries"]!.AsArray();
        Assert.Contains(thread, e => e!["type"]!.GetValue<string>() == "egress" && e["host"]!.GetValue<string>() == "registry.test" && e["allowed"]!.GetValue<bool>());
        Assert.Contains(thread, e => e!["type"]!.GetValue<string>() == "cache" && e["ecosystem"]!.GetValue<string>() == "npm" && e["restored"]?.GetValue<bool>() == false);
        Assert.Contains(thread, e => e!["type"]!.GetValue<string>() == "cache" && e["ecosystem"]!.GetValue<string>() == "npm" && e["saved"]?.GetValue<bool>() == true);

        // The second run of the unchanged repository: its setup (always run, as the checks file asks) installs from the
        // cache the first run saved.
        var tarballsBefore = _npm.Requests.Count(r => r.Path.EndsWith("demo-pad-1.0.0.tgz", StringComparison.Ordinal));
        Claude.Enqueue(Submit("Nothing to do."));
        var second = (await (await client.CreateJobAsync("octo/app")).JsonAsync())["id"]!.GetValue<string>();
        var again = await client.WaitForEndAsync(second);

        Assert.True(again["repositories"]![0]!["status"]!.GetValue<string>() == "succeeded", again.ToJsonString());
        var secondThread = JsonNode.Parse(await client.GetStringAsync($"/api/jobs/{second}/repositories/octo/app/thread"))!["entries"]!.AsArray();
        Assert.Contains(secondThread, e => e!["type"]!.GetValue<string>() == "cache" && e["ecosystem"]!.GetValue<string>() == "npm" && e["restored"]?.GetValue<bool>() == true);
        Assert.DoesNotContain(secondThread, e => e!["type"]!.GetValue<string>() == "cache" && e["ecosystem"]!.GetValue<string>() == "node_modules");
        Assert.Equal(0, again["repositories"]![0]!["verification"]!["setup"]![0]!["run"]!["exitCode"]!.GetValue<int>());
        Assert.DoesNotContain("Not run", again["repositories"]![0]!["verification"]!["setup"]![0]!["run"]!["output"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(tarballsBefore, _npm.Requests.Count(r => r.Path.EndsWith("demo-pad-1.0.0.tgz", StringComparison.Ordinal)));
        Assert.Equal(1, tarballsBefore);
    }

    [Fact]
    public async Task Claude_upgrades_a_python_dependency_with_pip_against_a_pep_503_index_and_the_pinned_file_follows()
    {
        GitHubApi.Add("octo", "py")
            .With("requirements.in", "--index-url http://pypi.test/simple/\n--trusted-host pypi.test\ndemo-pad>=1.0\n")
            .With("requirements.txt", "--index-url http://pypi.test/simple/\n--trusted-host pypi.test\ndemo-pad==1.0.0\n")
            .With("test_app.py", "import unittest\nimport demo_pad\n\n\nclass AppTests(unittest.TestCase):\n    def test_version(self):\n        print('demo_pad', demo_pad.VERSION)\n        self.assertRegex(demo_pad.VERSION, r'^\\d+\\.\\d+\\.\\d+$')\n")
            .With(".codybatch/checks.json", """{ "setup": ["python3 -m venv --without-pip /tmp/venv", "python3 -m pip --python /tmp/venv/bin/python install -q --disable-pip-version-check -r requirements.txt"], "checks": [{ "name": "unittest", "command": "/tmp/venv/bin/python -m unittest -v" }] }""");
        Claude.Enqueue(
            Message(ToolUse("bash", new JsonObject
            {
                ["command"] = "sed -i 's/demo-pad>=1.0/demo-pad>=2.0/' requirements.in && python3 -m pip --python /tmp/venv/bin/python install -q --disable-pip-version-check --upgrade -r requirements.in && { printf '%s\\n' '--index-url http://pypi.test/simple/' '--trusted-host pypi.test'; python3 -m pip --python /tmp/venv/bin/python freeze; } > requirements.txt && /tmp/venv/bin/python -c 'import demo_pad; print(demo_pad.VERSION)'",
            })),
            Submit("Upgraded demo-pad to 2.0.0."));
        var (client, id, run) = await RunAsync("octo/py");
        Assert.StartsWith("2.0.0\n[exit code 0 · ", ToolResult(Claude.Requests[1].Body), StringComparison.Ordinal);
        Assert.Equal("passed", run["verification"]!["status"]!.GetValue<string>());
        Assert.Contains("demo_pad 2.0.0", run["verification"]!["checks"]![0]!["after"]!["output"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("demo_pad 1.0.0", run["verification"]!["checks"]![0]!["before"]!["output"]!.GetValue<string>(), StringComparison.Ordinal);

        var patch = await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/py/patch");
        Assert.Contains("-demo-pad>=1.0\n+demo-pad>=2.0", patch, StringComparison.Ordinal);
        Assert.True(patch.Contains("-demo-pad==1.0.0\n+demo-pad==2.0.0", StringComparison.Ordinal), patch);
        Assert.Contains(_pypi.Requests, r => r.Path == "/packages/demo_pad-2.0.0-py3-none-any.whl");
    }

    [Fact]
    public async Task A_repository_without_checks_gets_its_setup_in_the_shells_tree_kept_out_of_the_patch_and_kept_for_the_next_run()
    {
        // No test script and no .gitignore: nothing to check, and node_modules/ is not ignored.
        NodeApp("tool")
            .With("README.md", "# tool\n");
        const string Look = "node -e \"console.log('demo-pad ' + require('demo-pad').version)\" && echo 'More.' >> README.md";
        Claude.Enqueue(Message(ToolUse("bash", new JsonObject { ["command"] = Look })), Submit("Documented it."));
        var (client, id, run) = await RunAsync("octo/tool");
        Assert.Contains("demo-pad 1.0.0\n[exit code 0 · ", ToolResult(Claude.Requests[1].Body), StringComparison.Ordinal);
        var verification = run["verification"]!;
        Assert.Equal("skipped", verification["status"]!.GetValue<string>());
        Assert.Equal("detected from package-lock.json (npm ci --prefer-offline --no-audit --no-fund)", verification["setupSource"]!.GetValue<string>());
        var setup = Assert.Single(verification["setup"]!.AsArray())!;
        Assert.Equal(0, setup["run"]!["exitCode"]!.GetValue<int>());
        var patch = await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/tool/patch");
        Assert.Contains("+More.", patch, StringComparison.Ordinal);
        Assert.DoesNotContain("node_modules", patch, StringComparison.Ordinal);
        var thread = JsonNode.Parse(await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/tool/thread"))!["entries"]!.AsArray();
        Assert.Contains(thread, e => e!["type"]!.GetValue<string>() == "cache" && e["ecosystem"]!.GetValue<string>() == "npm" && e["saved"]?.GetValue<bool>() == true);

        // The next run of the repository gets node_modules back as that setup left it, before Claude's first command.
        var tarballs = _npm.Requests.Count(r => r.Path.EndsWith("demo-pad-1.0.0.tgz", StringComparison.Ordinal));
        Claude.Enqueue(Message(ToolUse("bash", new JsonObject { ["command"] = Look })), Submit("Documented it again."));
        var second = (await (await client.CreateJobAsync("octo/tool")).JsonAsync())["id"]!.GetValue<string>();
        var again = await client.WaitForEndAsync(second);

        Assert.True(again["repositories"]![0]!["status"]!.GetValue<string>() == "succeeded", again.ToJsonString());
        Assert.Contains("demo-pad 1.0.0\n[exit code 0 · ", ToolResult(Claude.Requests[^1].Body), StringComparison.Ordinal);
        var secondThread = JsonNode.Parse(await client.GetStringAsync($"/api/jobs/{second}/repositories/octo/tool/thread"))!["entries"]!.AsArray();
        Assert.Contains(secondThread, e => e!["type"]!.GetValue<string>() == "cache" && e["ecosystem"]!.GetValue<string>() == "node_modules" && e["restored"]?.GetValue<bool>() == true);
        Assert.Equal(1, tarballs);
        Assert.Equal(tarballs, _npm.Requests.Count(r => r.Path.EndsWith("demo-pad-1.0.0.tgz", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task With_checks_setup_runs_once_where_the_shell_and_both_check_sessions_see_it_and_the_next_run_restores_the_installed_tree()
    {
        // node_modules/ is not ignored: only joining the baseline keeps it out of the patch.
        NodeApp("checked")
            .With("test.js", "const pad = require('demo-pad');\nconsole.log('demo-pad ' + pad.version);\n")
            .With(".codybatch/checks.json", """{ "setup": ["npm ci --no-audit --no-fund"], "checks": [{ "name": "test", "command": "node test.js" }, { "name": "marker", "command": "test ! -e BROKEN" }] }""");
        const string Look = "ls node_modules/demo-pad && node test.js";
        Claude.Enqueue(Message(ToolUse("bash", new JsonObject { ["command"] = Look + " && echo broken > BROKEN" })), Submit("Marked it."));
        var (client, id, run) = await RunAsync("octo/checked");

        Assert.Matches(@"^index\.js\npackage\.json\ndemo-pad 1\.0\.0\n\[exit code 0 · ", ToolResult(Claude.Requests[1].Body));
        var verification = run["verification"]!;
        Assert.True(verification["status"]!.GetValue<string>() == "broke", verification.ToJsonString());
        var checks = verification["checks"]!.AsArray();
        Assert.Equal(0, checks[0]!["before"]!["exitCode"]!.GetValue<int>());
        Assert.Equal(0, checks[0]!["after"]!["exitCode"]!.GetValue<int>());
        Assert.Contains("demo-pad 1.0.0", checks[0]!["after"]!["output"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, checks[1]!["before"]!["exitCode"]!.GetValue<int>());
        Assert.Equal(1, checks[1]!["after"]!["exitCode"]!.GetValue<int>());
        Assert.Equal(0, Assert.Single(verification["setup"]!.AsArray())!["run"]!["exitCode"]!.GetValue<int>());
        var patch = await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/checked/patch");
        Assert.Contains("+++ b/BROKEN", patch, StringComparison.Ordinal);
        Assert.DoesNotContain("node_modules", patch, StringComparison.Ordinal);
        var thread = JsonNode.Parse(await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/checked/thread"))!["entries"]!.AsArray();
        Assert.Single(thread, e => e!["type"]!.GetValue<string>() == "checks" && e["setup"]?.AsArray().Count == 1);
        // The change touched none of setup's files: nothing is installed again before the checks after it.
        Assert.Empty(verification["setupAfter"]!.AsArray());
        Assert.DoesNotContain(thread, e => e!["type"]!.GetValue<string>() == "checks" && e["phase"]!.GetValue<string>() == "setup-after");
        Assert.Contains(thread, e => e!["type"]!.GetValue<string>() == "cache" && e["ecosystem"]!.GetValue<string>() == "node_modules" && e["saved"]?.GetValue<bool>() == true);

        // The next run of the unchanged repository gets node_modules back in place of npm ci, in the shell's /repo too;
        // its shell then plants a package of its own there.
        const string Plant = " && echo \"module.exports = { version: 'planted' };\" > node_modules/demo-pad/index.js && node test.js";
        Claude.Enqueue(Message(ToolUse("bash", new JsonObject { ["command"] = Look + Plant })), Submit("Looked again."));
        var second = (await (await client.CreateJobAsync("octo/checked")).JsonAsync())["id"]!.GetValue<string>();
        var again = (await client.WaitForEndAsync(second))["repositories"]![0]!;

        Assert.True(again["status"]!.GetValue<string>() == "succeeded", again.ToJsonString());
        Assert.Matches(@"^index\.js\npackage\.json\ndemo-pad 1\.0\.0\ndemo-pad planted\n\[exit code 0 · ", ToolResult(Claude.Requests[^1].Body));
        Assert.StartsWith("Not run: node_modules/ was restored", again["verification"]!["setup"]![0]!["run"]!["output"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("demo-pad 1.0.0\n", again["verification"]!["checks"]![0]!["before"]!["output"]!.GetValue<string>());
        var secondThread = JsonNode.Parse(await client.GetStringAsync($"/api/jobs/{second}/repositories/octo/checked/thread"))!["entries"]!.AsArray();
        Assert.Contains(secondThread, e => e!["type"]!.GetValue<string>() == "cache" && e["ecosystem"]!.GetValue<string>() == "node_modules" && e["restored"]?.GetValue<bool>() == true);

        // The run after it gets node_modules as npm ci left it, not as that shell did.
        Claude.Enqueue(Message(ToolUse("bash", new JsonObject { ["command"] = Look })), Submit("Looked once more."));
        var third = (await (await client.CreateJobAsync("octo/checked")).JsonAsync())["id"]!.GetValue<string>();
        var last = (await client.WaitForEndAsync(third))["repositories"]![0]!;
        Assert.True(last["status"]!.GetValue<string>() == "succeeded", last.ToJsonString());
        Assert.Matches(@"^index\.js\npackage\.json\ndemo-pad 1\.0\.0\n\[exit code 0 · ", ToolResult(Claude.Requests[^1].Body));
        Assert.Equal("demo-pad 1.0.0\n", last["verification"]!["checks"]![0]!["before"]!["output"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_change_that_upgrades_a_dependency_gets_setup_again_in_the_checks_copy_before_the_checks_after_it()
    {
        // The check asserts the installed version: it fails on the baseline (1.0.0) and passes only on what the change installs.
        NodeApp("upgrade")
            .With(".gitignore", "node_modules/\n")
            .With(".codybatch/checks.json", """{ "setup": ["npm ci --no-audit --no-fund"], "checks": [{ "name": "version", "command": "node -e \"const v = require('demo-pad/package.json').version; console.log('demo-pad ' + v); process.exit(v === '2.0.0' ? 0 : 1)\"" }] }""");
        Claude.Enqueue(
            Message(ToolUse("bash", new JsonObject { ["command"] = "npm install --no-audit --no-fund demo-pad@2.0.0" })),
            Message(ToolUse("run_checks", new JsonObject())),
            Submit("Upgraded demo-pad to 2.0.0."));
        var (client, id, run) = await RunAsync("octo/upgrade");

        // run_checks after the upgrade already sees it (setup ran again in the checks' copy for that call).
        Assert.Contains("demo-pad 2.0.0", ToolResult(Claude.Requests[2].Body), StringComparison.Ordinal);

        var verification = run["verification"]!;
        Assert.True(verification["status"]!.GetValue<string>() == "fixed", verification.ToJsonString());
        var check = verification["checks"]![0]!;
        Assert.Equal("demo-pad 1.0.0\n", check["before"]!["output"]!.GetValue<string>());
        Assert.Equal("demo-pad 2.0.0\n", check["after"]!["output"]!.GetValue<string>());
        var again = Assert.Single(verification["setupAfter"]!.AsArray())!;
        Assert.Equal("npm ci --no-audit --no-fund", again["command"]!.GetValue<string>());
        Assert.Equal(0, again["run"]!["exitCode"]!.GetValue<int>());

        // The setup after the change installed from what the shell had fetched into the run's home (one tarball of each
        // version), and only the tree the first setup installed is kept for later runs.
        Assert.Equal(1, _npm.Requests.Count(r => r.Path.EndsWith("demo-pad-2.0.0.tgz", StringComparison.Ordinal)));
        var thread = JsonNode.Parse(await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/upgrade/thread"))!["entries"]!.AsArray();
        Assert.Single(thread, e => e!["type"]!.GetValue<string>() == "cache" && e["ecosystem"]!.GetValue<string>() == "node_modules" && e["saved"]?.GetValue<bool>() == true);
        // Once: for run_checks; the checks after the change find the files as that setup saw them and do not run it again.
        Assert.Single(thread, e => e!["type"]!.GetValue<string>() == "checks" && e["phase"]!.GetValue<string>() == "setup-after" && e["setup"]?.AsArray().Count == 1);

        // The next run of the repository (its lock file still at 1.0.0) gets node_modules as the first setup left it.
        Claude.Enqueue(Submit("Nothing to do."));
        var second = (await (await client.CreateJobAsync("octo/upgrade")).JsonAsync())["id"]!.GetValue<string>();
        var next = (await client.WaitForEndAsync(second))["repositories"]![0]!;
        Assert.StartsWith("Not run: node_modules/ was restored", next["verification"]!["setup"]![0]!["run"]!["output"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("demo-pad 1.0.0\n", next["verification"]!["checks"]![0]!["before"]!["output"]!.GetValue<string>());
        Assert.Empty(next["verification"]!["setupAfter"]!.AsArray());
    }

    [Fact]
    public async Task A_setup_after_the_change_that_cannot_reach_its_registry_makes_the_verification_unavailable_with_the_cause()
    {
        // Nothing to install on the baseline, so its setup passes without network; the change adds a dependency that the
        // job's network (none) cannot fetch.
        GitHubApi.Add("octo", "offline")
            .With("package.json", "{ \"name\": \"app\", \"version\": \"1.0.0\" }\n")
            .With("package-lock.json", "{ \"name\": \"app\", \"version\": \"1.0.0\", \"lockfileVersion\": 3, \"requires\": true, \"packages\": { \"\": { \"name\": \"app\", \"version\": \"1.0.0\" } } }\n")
            .With(".codybatch/checks.json", """{ "setup": ["npm ci --no-audit --no-fund"], "checks": [{ "name": "manifest", "command": "test -f package.json" }] }""");
        var manifest = "{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"dependencies\": {\n    \"demo-pad\": \"^1.0.0\"\n  }\n}\n";
        var write = $"cat > package.json <<'EOF'\n{manifest}EOF\ncat > package-lock.json <<'EOF'\n{LockFile()}EOF\n";
        Claude.Enqueue(Message(ToolUse("bash", new JsonObject { ["command"] = write })), Submit("Added demo-pad."));
        var client = Factory.CreateClient();
        var created = await client.PostAsJsonAsync("/api/jobs", new { prompt = "Add demo-pad", repositories = new[] { "octo/offline" }, network = "none" });
        var run = (await client.WaitForEndAsync((await created.JsonAsync())["id"]!.GetValue<string>()))["repositories"]![0]!;

        Assert.Empty(Claude.Problems);
        var verification = run["verification"]!;
        Assert.True(verification["status"]!.GetValue<string>() == "unavailable", verification.ToJsonString());
        Assert.StartsWith(
            "Setup `npm ci --no-audit --no-fund` failed after the change, so the checks cannot say anything about it: a package registry or other host could not be reached (",
            verification["reason"]!.GetValue<string>(),
            StringComparison.Ordinal);
        Assert.Equal(0, Assert.Single(verification["setup"]!.AsArray())!["run"]!["exitCode"]!.GetValue<int>());
        Assert.NotEqual(0, Assert.Single(verification["setupAfter"]!.AsArray())!["run"]!["exitCode"]!.GetValue<int>());
    }

    // A job on the repository, awaited to its end: Claude was asked nothing it did not expect, and the run succeeded.
    private async Task<(HttpClient Client, string Id, JsonNode Run)> RunAsync(string repository)
    {
        var client = Factory.CreateClient();
        var id = (await (await client.CreateJobAsync(repository)).JsonAsync())["id"]!.GetValue<string>();
        var job = await client.WaitForEndAsync(id);

        Assert.Empty(Claude.Problems);
        var run = job["repositories"]![0]!;
        Assert.True(run["status"]!.GetValue<string>() == "succeeded", job.ToJsonString());
        return (client, id, run);
    }

    // A Node app depending on demo-pad ^1.0.0 from the registry served here, locked at 1.0.0.
    private CodyBatch.Testing.GitHub.FakeGitHubRepository NodeApp(string name) => GitHubApi.Add("octo", name)
        .With("package.json", "{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"dependencies\": {\n    \"demo-pad\": \"^1.0.0\"\n  }\n}\n")
        .With("package-lock.json", LockFile())
        .With(".npmrc", "registry=http://registry.test/\n");

    private string LockFile() => _npm.LockFile("demo-pad", "1.0.0", "http://registry.test");

    private static FakeReply Submit(string summary) =>
        Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = true, ["summary"] = summary, ["pullRequestTitle"] = "Upgrade demo-pad", ["pullRequestBody"] = summary }));

    private static string ToolResult(JsonObject body) =>
        body["messages"]!.AsArray().Last()!["content"]!.AsArray().First(b => b!["type"]!.GetValue<string>() == "tool_result")!["content"]!.GetValue<string>();
}
