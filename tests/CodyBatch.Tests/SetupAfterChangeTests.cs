using CodyBatch.Testing.Registries;
using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Tests;

/// <summary>
/// Setup after a change to setup's files, attacked and disturbed: a registry that answers 503 once does not leave the
/// verification unavailable while the network is still up, and without a shell what the change added to setup's files
/// (an install script) runs without network.
/// </summary>
public sealed class SetupAfterChangeTests : ClaudeOnFakeGitHub
{
    private const string Version = """{ "setup": ["npm ci --no-audit --no-fund"], "checks": [{ "name": "version", "command": "node -e \"const v = require('demo-pad/package.json').version; console.log('demo-pad ' + v); process.exit(v === '2.0.0' ? 0 : 1)\"" }] }""";
    private FakeNpmRegistry _npm = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _npm = (await FakeNpmRegistry.StartAsync()).Publish("demo-pad", "1.0.0").Publish("demo-pad", "2.0.0");
        Factory.Settings["CodyBatch:Checks:Timeout"] = "00:02:00";
        Factory.Settings["CodyBatch:Egress:AllowedDomains:0"] = "registry.test";
        Factory.Settings["CodyBatch:Egress:HostAddresses:registry.test"] = new Uri(_npm.BaseUrl).Authority;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _npm.DisposeAsync();
    }

    [Fact]
    public async Task A_setup_after_the_change_that_met_a_registry_503_runs_again_while_the_network_is_up_and_the_checks_say_what_the_change_did()
    {
        // npm retries nothing here, so the one 503 fails the setup that run_checks brings about.
        NodeApp("flaky", "registry=http://registry.test/\nfetch-retries=0\n");
        _npm.FailOnce("/demo-pad/-/demo-pad-2.0.0.tgz");
        Claude.Enqueue(
            Message(ToolUse("bash", new JsonObject { ["command"] = Write(Manifest("^2.0.0"), _npm.LockFile("demo-pad", "2.0.0", "http://registry.test")) })),
            Message(ToolUse("run_checks", new JsonObject())),
            Submit("Upgraded demo-pad to 2.0.0."));
        var client = Factory.CreateClient();
        var id = (await (await client.CreateJobAsync("octo/flaky")).JsonAsync())["id"]!.GetValue<string>();
        var run = (await client.WaitForEndAsync(id))["repositories"]![0]!;

        Assert.Empty(Claude.Problems);
        var verification = run["verification"]!;
        Assert.True(verification["status"]!.GetValue<string>() == "fixed", verification.ToJsonString());
        var again = Assert.Single(verification["setupAfter"]!.AsArray())!;
        Assert.Equal(0, again["run"]!["exitCode"]!.GetValue<int>());
        Assert.Equal("demo-pad 2.0.0\n", verification["checks"]![0]!["after"]!["output"]!.GetValue<string>());

        // The first setup after the change met the 503 and said so; the second got the tarball.
        var thread = JsonNode.Parse(await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/flaky/thread"))!["entries"]!.AsArray();
        var setups = thread.Where(e => e!["type"]!.GetValue<string>() == "checks" && e["phase"]!.GetValue<string>() == "setup-after").ToList();
        Assert.Equal(2, setups.Count);
        Assert.Contains("503", setups[0]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(2, _npm.Requests.Count(r => r.Path == "/demo-pad/-/demo-pad-2.0.0.tgz"));
    }

    [Fact]
    public async Task Without_a_shell_an_install_script_the_change_added_runs_without_network_and_the_verification_says_why_it_is_unavailable()
    {
        NodeApp("noshell", "registry=http://registry.test/\n");
        const string Scripts = """
            ,
              "scripts": {
                "preinstall": "curl -s -o /dev/null http://registry.test/probe-from-preinstall || true"
              }
            """;
        Claude.Enqueue(
            Message(ToolUse("str_replace_based_edit_tool", new JsonObject { ["command"] = "create", ["path"] = "/repo/package.json", ["file_text"] = Manifest("^2.0.0", Scripts) })),
            Message(ToolUse("str_replace_based_edit_tool", new JsonObject { ["command"] = "create", ["path"] = "/repo/package-lock.json", ["file_text"] = _npm.LockFile("demo-pad", "2.0.0", "http://registry.test") })),
            Submit("Upgraded demo-pad to 2.0.0."));
        var client = Factory.CreateClient();
        var created = await client.PostAsJsonAsync("/api/jobs", new { prompt = "Upgrade demo-pad", repositories = new[] { "octo/noshell" }, shell = false });
        var run = (await client.WaitForEndAsync((await created.JsonAsync())["id"]!.GetValue<string>()))["repositories"]![0]!;

        Assert.Empty(Claude.Problems);
        Assert.True(run["status"]!.GetValue<string>() == "succeeded", run.ToJsonString());
        var verification = run["verification"]!;
        Assert.True(verification["status"]!.GetValue<string>() == "unavailable", verification.ToJsonString());
        var reason = verification["reason"]!.GetValue<string>();
        Assert.StartsWith("Setup `npm ci --no-audit --no-fund` failed after the change, so the checks cannot say anything about it: a package registry or other host could not be reached (", reason, StringComparison.Ordinal);
        Assert.Contains("runs without network when the job gives Claude no shell (shell: false)", reason, StringComparison.Ordinal);

        // The baseline's setup fetched 1.0.0 through the run's network; nothing after the change reached the registry.
        Assert.Contains(_npm.Requests, r => r.Path == "/demo-pad/-/demo-pad-1.0.0.tgz");
        Assert.DoesNotContain(_npm.Requests, r => r.Path == "/probe-from-preinstall" || r.Path.EndsWith("demo-pad-2.0.0.tgz", StringComparison.Ordinal));
    }

    // A Node app depending on demo-pad ^1.0.0 from the registry served here, locked at 1.0.0, with a check that passes
    // only on demo-pad 2.0.0.
    private void NodeApp(string name, string npmrc) => GitHubApi.Add("octo", name)
        .With("package.json", Manifest("^1.0.0"))
        .With("package-lock.json", _npm.LockFile("demo-pad", "1.0.0", "http://registry.test"))
        .With(".npmrc", npmrc)
        .With(".gitignore", "node_modules/\n")
        .With(".codybatch/checks.json", Version);

    private static string Manifest(string range, string scripts = "") =>
        $"{{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\",\n  \"dependencies\": {{\n    \"demo-pad\": \"{range}\"\n  }}{scripts.TrimEnd()}\n}}\n";

    private static string Write(string manifest, string lockFile) =>
        $"cat > package.json <<'EOF'\n{manifest}EOF\ncat > package-lock.json <<'EOF'\n{lockFile}EOF\n";

    private static FakeReply Submit(string summary) =>
        Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = true, ["summary"] = summary, ["pullRequestTitle"] = "Upgrade demo-pad", ["pullRequestBody"] = summary }));
}
