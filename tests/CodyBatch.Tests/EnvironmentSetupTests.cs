namespace CodyBatch.Tests;

/// <summary>
/// Repositories made here, served by the fake GitHub, whose checks run in the bubblewrap sandbox: setup detected from
/// a lock file and reported on the run, and baselines that fail for their environment's sake (a tool no toolchain root
/// provides, a module not installed, a registry out of reach) reported as <c>unavailable</c> with the cause.
/// </summary>
public sealed class EnvironmentSetupTests : ServerOnFakeGitHub
{
    private const string LockWithLocalPackage = """
        {
          "name": "app",
          "version": "1.0.0",
          "lockfileVersion": 3,
          "requires": true,
          "packages": {
            "": { "name": "app", "version": "1.0.0", "dependencies": { "greet": "file:vendor/greet" } },
            "node_modules/greet": { "resolved": "vendor/greet", "link": true },
            "vendor/greet": { "version": "1.0.0" }
          }
        }
        """;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Factory.Settings["CodyBatch:Checks:Timeout"] = "00:01:00";
        Factory.Agent = new ScriptedCodeAgent((_, _) => Task.FromResult(AgentOutcome.Succeeded(new AgentResult(false, "Looked."), Core.Runs.TokenUsage.Zero)));
    }

    [Fact]
    public async Task Setup_detected_from_a_lock_file_installs_before_the_checks_and_the_run_says_what_was_detected_and_why()
    {
        GitHubApi.Add("octo", "node")
            .With("package.json", """{ "name": "app", "version": "1.0.0", "private": true, "scripts": { "test": "node --test" }, "dependencies": { "greet": "file:vendor/greet" } }""")
            .With("package-lock.json", LockWithLocalPackage)
            .With("vendor/greet/package.json", """{ "name": "greet", "version": "1.0.0", "main": "index.js" }""")
            .With("vendor/greet/index.js", "module.exports = () => 'hello';\n")
            .With("test/greet.test.js", "const test = require('node:test');\nconst assert = require('node:assert');\nconst greet = require('greet');\ntest('greets', () => assert.strictEqual(greet(), 'hello'));\n");
        var client = Factory.CreateClient();

        var job = await RunJobAsync(client, new { prompt = "Look", repositories = new[] { "octo/node" }, mode = "patch", network = "none" });

        var verification = job["repositories"]![0]!["verification"]!;
        Assert.True(verification["status"]!.GetValue<string>() == "passed", verification.ToJsonString());
        Assert.Equal("detected from package-lock.json (npm ci --prefer-offline --no-audit --no-fund)", verification["setupSource"]!.GetValue<string>());
        var setup = Assert.Single(verification["setup"]!.AsArray())!;
        Assert.Equal("npm ci --prefer-offline --no-audit --no-fund", setup["command"]!.GetValue<string>());
        Assert.Equal(0, setup["run"]!["exitCode"]!.GetValue<int>());
        var thread = await client.GetStringAsync($"/api/jobs/{job["id"]}/repositories/octo/node/thread");
        Assert.Contains("\"setupSource\":\"detected from package-lock.json (npm ci --prefer-offline --no-audit --no-fund)\"", thread, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_baseline_that_cannot_reach_its_registry_is_unavailable_at_once_with_the_cause()
    {
        GitHubApi.Add("octo", "offline")
            .With("package.json", """{ "name": "app", "version": "1.0.0", "scripts": { "test": "node --test" }, "dependencies": { "left-pad": "1.3.0" } }""")
            .With("package-lock.json", """
                {
                  "name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
                  "packages": {
                    "": { "name": "app", "version": "1.0.0", "dependencies": { "left-pad": "1.3.0" } },
                    "node_modules/left-pad": {
                      "version": "1.3.0",
                      "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",
                      "integrity": "sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQEBSL9IqpQsDuAc2E0VHVINANbhlCzHRBdBeyUrfS9X6ZxQA=="
                    }
                  }
                }
                """)
            .With("test/pad.test.js", "require('left-pad');\n");
        var client = Factory.CreateClient();

        var job = await RunJobAsync(client, new { prompt = "Look", repositories = new[] { "octo/offline" }, mode = "patch", network = "none" });

        var verification = job["repositories"]![0]!["verification"]!;
        Assert.True(verification["status"]!.GetValue<string>() == "unavailable", verification.ToJsonString());
        var reason = verification["reason"]!.GetValue<string>();
        Assert.StartsWith("Setup `npm ci --prefer-offline --no-audit --no-fund` failed on the snapshot, so the checks cannot say anything about the change: a package registry or other host could not be reached (", reason, StringComparison.Ordinal);
        Assert.Contains("ECONNREFUSED", reason, StringComparison.Ordinal);
        var setup = Assert.Single(verification["setup"]!.AsArray())!;
        Assert.Null(setup["run"]!["limit"]);
        Assert.NotEqual(0, setup["run"]!["exitCode"]!.GetValue<int>());
        Assert.Contains("ECONNREFUSED", setup["run"]!["cause"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_check_whose_tool_no_toolchain_root_provides_is_unavailable_not_failing()
    {
        GitHubApi.Add("octo", "zig")
            .With(".codybatch/checks.json", """{ "checks": [ { "name": "build", "command": "zigzag build test" }, { "name": "py", "command": "python3 -c 'import yaml_not_installed'" } ] }""")
            .With("README.md", "# zig\n");
        var client = Factory.CreateClient();

        var job = await RunJobAsync(client, new { prompt = "Look", repositories = new[] { "octo/zig" }, mode = "patch" });

        var verification = job["repositories"]![0]!["verification"]!;
        Assert.True(verification["status"]!.GetValue<string>() == "unavailable", verification.ToJsonString());
        Assert.StartsWith("The check `build` cannot run here: zigzag not found: no toolchain root provides it", verification["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        var checks = verification["checks"]!.AsArray();
        Assert.Equal(127, checks[0]!["before"]!["exitCode"]!.GetValue<int>());
        Assert.StartsWith("zigzag not found: no toolchain root provides it", checks[0]!["before"]!["cause"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("the Python module `yaml_not_installed` is not installed", checks[1]!["before"]!["cause"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(checks[0]!["after"]);
    }
}
