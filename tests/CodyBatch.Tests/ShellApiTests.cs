using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Tests;

/// <summary>
/// Claude's shell end to end: the real Claude agent against the fake Messages API calls Anthropic's bash tool,
/// the commands run in the run's sandbox, and what they change is part of the patch.
/// </summary>
public sealed class ShellApiTests : ClaudeOnFakeGitHub
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        GitHubApi.Add("octo", "app").With("README.md", "# App\n").With(".gitignore", "node_modules/\n");
    }

    [Fact]
    public async Task Claude_runs_commands_in_one_session_and_what_they_write_is_in_the_patch_except_ignored_files()
    {
        Environment.SetEnvironmentVariable("CODYBATCH_SHELL_API_SECRET", "shell-api-test-secret-value");
        Claude.Enqueue(
            Message(ToolUse("bash", new JsonObject { ["command"] = "mkdir -p sub && cd sub && export COLOR=blue" })),
            Message(ToolUse("bash", new JsonObject
            {
                ["command"] = "echo \"$COLOR\" > color.txt && mkdir -p /repo/node_modules/x && echo junk > /repo/node_modules/x/index.js && echo \"[$ANTHROPIC_API_KEY][$GITHUB_TOKEN][$CODYBATCH_SHELL_API_SECRET]\" && pwd",
            })),
            Message(ToolUse("bash", new JsonObject { ["restart"] = true })),
            Message(ToolUse("bash", new JsonObject { ["command"] = "pwd; curl -sS --max-time 30 http://example.com/; exit 3" })),
            Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = true, ["summary"] = "Wrote the color.", ["pullRequestTitle"] = "Color", ["pullRequestBody"] = "Adds it." })));
        var client = Factory.CreateClient();

        try
        {
            var id = (await (await client.CreateJobAsync("octo/app")).JsonAsync())["id"]!.GetValue<string>();
            var job = await client.WaitForEndAsync(id);

            Assert.Empty(Claude.Problems);
            Assert.True(job["repositories"]![0]!["status"]!.GetValue<string>() == "succeeded", job.ToJsonString());
            var first = Claude.Requests[0].Body;
            Assert.Contains(first["tools"]!.AsArray(), t => t!["type"]?.GetValue<string>() == "bash_20250124" && t["name"]!.GetValue<string>() == "bash");
            Assert.Contains("Network: only through the HTTP proxy that HTTP_PROXY and HTTPS_PROXY point at, and only to registry.npmjs.org, ", first["system"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);

            // What Claude read back: the variable and directory carried over, no secret, and after the restart /repo again.
            var second = ToolResult(Claude.Requests[2].Body);
            Assert.StartsWith("[][][]\n/repo/sub\n[exit code 0 · ", second, StringComparison.Ordinal);
            Assert.Equal("The shell was restarted: a fresh session in /repo with no variables set.", ToolResult(Claude.Requests[3].Body));
            Assert.StartsWith("/repo\nCody Batch egress proxy: example.com is not on this run's egress allow-list (registry.npmjs.org, ", ToolResult(Claude.Requests[4].Body), StringComparison.Ordinal);
            Assert.Contains("[exit code 3 · ", ToolResult(Claude.Requests[4].Body), StringComparison.Ordinal);

            var patch = await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/app/patch");
            Assert.Contains("+++ b/sub/color.txt\n@@ -0,0 +1 @@\n+blue", patch, StringComparison.Ordinal);
            Assert.DoesNotContain("node_modules", patch, StringComparison.Ordinal);

            var thread = JsonNode.Parse(await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/app/thread"))!;
            var shell = thread["entries"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "shell").ToList();
            Assert.Equal(4, shell.Count);
            Assert.Equal("mkdir -p sub && cd sub && export COLOR=blue", shell[0]!["command"]!.GetValue<string>());
            Assert.Equal(0, shell[0]!["exitCode"]!.GetValue<int>());
            Assert.True(shell[2]!["restart"]!.GetValue<bool>());
            Assert.Equal(3, shell[3]!["exitCode"]!.GetValue<int>());
            Assert.True(shell[3]!["durationMs"]!.GetValue<long>() >= 0);
            var refused = Assert.Single(thread["entries"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "egress");
            Assert.Equal("example.com", refused!["host"]!.GetValue<string>());
            Assert.False(refused["allowed"]!.GetValue<bool>());
        }
        finally
        {
            Environment.SetEnvironmentVariable("CODYBATCH_SHELL_API_SECRET", null);
        }
    }

    [Fact]
    public async Task A_server_with_the_shell_turned_off_offers_no_bash_tool_and_says_so()
    {
        Factory.Settings["CodyBatch:Shell:Enabled"] = "false";
        Claude.Enqueue(Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = false, ["summary"] = "Nothing to do." })));
        var client = Factory.CreateClient();

        var id = (await (await client.CreateJobAsync("octo/app")).JsonAsync())["id"]!.GetValue<string>();
        await client.WaitForEndAsync(id);

        var first = Claude.Requests[0].Body;
        Assert.DoesNotContain(first["tools"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "bash");
        Assert.Contains("You cannot run arbitrary commands and you cannot reach the network.", first["system"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var thread = await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/app/thread");
        Assert.Contains("The shell is turned off on this server (CodyBatch:Shell:Enabled).", thread, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_with_shell_false_offers_no_bash_tool_and_the_job_shows_it()
    {
        Claude.Enqueue(Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = false, ["summary"] = "Nothing to do." })));
        var client = Factory.CreateClient();

        var created = await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "Look", repositories = new[] { "octo/app" }, shell = false })).JsonAsync();
        var id = created["id"]!.GetValue<string>();
        var job = await client.WaitForEndAsync(id);

        Assert.False(created["shell"]!.GetValue<bool>());
        Assert.Equal("registries", job["network"]!.GetValue<string>());
        var first = Claude.Requests[0].Body;
        Assert.DoesNotContain(first["tools"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "bash");
        Assert.Contains("You cannot run arbitrary commands and you cannot reach the network.", first["system"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var thread = await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/app/thread");
        Assert.Contains("The shell is turned off for this job (shell: false).", thread, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_with_network_none_gets_a_shell_without_the_proxy_and_claude_is_told_so()
    {
        Claude.Enqueue(
            Message(ToolUse("bash", new JsonObject { ["command"] = "curl -sS --max-time 30 https://registry.npmjs.org/ 2>&1; echo \"rc=$?\"" })),
            Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = false, ["summary"] = "Offline." })));
        var client = Factory.CreateClient();

        var created = await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "Look", repositories = new[] { "octo/app" }, network = "none" })).JsonAsync();
        var id = created["id"]!.GetValue<string>();
        var job = await client.WaitForEndAsync(id);

        Assert.True(job["repositories"]![0]!["status"]!.GetValue<string>() == "succeeded", job.ToJsonString());
        Assert.Equal("none", job["network"]!.GetValue<string>());
        Assert.True(job["shell"]!.GetValue<bool>());
        Assert.Contains("Network: none at all", Claude.Requests[0].Body["system"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var result = ToolResult(Claude.Requests[1].Body);
        Assert.DoesNotContain("rc=0", result, StringComparison.Ordinal);
        Assert.DoesNotContain("egress proxy", result, StringComparison.Ordinal);
        var thread = JsonNode.Parse(await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/app/thread"))!;
        var network = Assert.Single(thread["entries"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "network");
        Assert.Equal("none", network!["mode"]!.GetValue<string>());
        Assert.Equal("the job asked for no network", network["reason"]!.GetValue<string>());
        Assert.DoesNotContain(thread["entries"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "egress");
    }

    [Fact]
    public async Task A_job_cannot_widen_the_servers_shell_or_network_and_a_wrong_network_is_a_clear_problem()
    {
        Factory.Settings["CodyBatch:Shell:Enabled"] = "false";
        Factory.Settings["CodyBatch:Egress:Network"] = "None";
        var client = Factory.CreateClient();

        var widen = await client.PostAsJsonAsync("/api/jobs", new { prompt = "Look", repositories = new[] { "octo/app" }, shell = true, network = "registries" });
        var wrong = await client.PostAsJsonAsync("/api/jobs", new { prompt = "Look", repositories = new[] { "octo/app" }, network = "internet" });
        var defaults = await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "Look", repositories = new[] { "octo/app" }, shell = false })).JsonAsync();

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, widen.StatusCode);
        var errors = (await widen.JsonAsync())["errors"]!;
        Assert.Contains("CodyBatch:Shell:Enabled is false", errors["shell"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("cannot ask for the registries", errors["network"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("Network must be \"registries\" (the package registries on the server's allow-list) or \"none\", not \"internet\".", (await wrong.JsonAsync())["errors"]!["network"]![0]!.GetValue<string>());
        Assert.Equal("none", defaults["network"]!.GetValue<string>());
        Assert.False(defaults["shell"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_sandbox_shows_a_read_only_git_view_of_the_snapshot_to_the_shell_and_the_checks_and_it_stays_out_of_the_patch()
    {
        GitHubApi.Add("octo", "versioned")
            .With("README.md", "# Versioned\n")
            .With(".codybatch/checks.json", """{ "checks": [ { "name": "version", "command": "git rev-parse HEAD && git describe --always --dirty && git status --porcelain" } ] }""");
        Claude.Enqueue(
            Message(ToolUse("bash", new JsonObject
            {
                ["command"] = "git rev-parse HEAD; git log -1 --format=%s; git describe --tags --always --dirty; echo x > .git/planted; echo ref > .git/HEAD; git config user.name Mallory; echo notes >> NOTES.md; git status --porcelain",
            })),
            Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = true, ["summary"] = "Notes.", ["pullRequestTitle"] = "Notes", ["pullRequestBody"] = "Adds notes." })));
        var client = Factory.CreateClient();

        var job = await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "Look", repositories = new[] { "octo/versioned" }, mode = "patch" })).JsonAsync();
        var id = job["id"]!.GetValue<string>();
        var ended = await client.WaitForEndAsync(id);

        var run = ended["repositories"]![0]!;
        Assert.True(run["status"]!.GetValue<string>() == "succeeded", ended.ToJsonString());
        Assert.Contains("/repo/.git is a read-only view of the snapshot's commit", Claude.Requests[0].Body["system"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var output = ToolResult(Claude.Requests[1].Body);
        var lines = output.Split('\n');
        var thread = await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/versioned/thread");
        Assert.False(thread.Contains("\"git_view\"", StringComparison.Ordinal), thread[..Math.Min(thread.Length, 1500)]);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(lines[0], "^[0-9a-f]{40}$"), output);
        Assert.Equal($"Snapshot of {run["commitSha"]!.GetValue<string>()}", lines[1]);
        Assert.Equal(lines[0][..7], lines[2][..7]);
        Assert.Contains(".git/planted: Read-only file system", output, StringComparison.Ordinal);
        Assert.Contains(".git/HEAD: Read-only file system", output, StringComparison.Ordinal);
        Assert.Contains("?? NOTES.md", output, StringComparison.Ordinal);

        // The checks saw the same view: the baseline's HEAD is the snapshot's commit, its tree clean.
        var check = run["verification"]!["checks"]![0]!;
        Assert.Equal(0, check["before"]!["exitCode"]!.GetValue<int>());
        Assert.StartsWith(lines[0] + "\n", check["before"]!["output"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("-dirty", check["before"]!["output"]!.GetValue<string>(), StringComparison.Ordinal);

        var patch = await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/versioned/patch");
        Assert.Contains("+++ b/NOTES.md", patch, StringComparison.Ordinal);
        Assert.DoesNotContain(".git/", patch, StringComparison.Ordinal);
        Assert.DoesNotContain("Mallory", patch, StringComparison.Ordinal);
    }

    private static string ToolResult(JsonObject body) =>
        body["messages"]!.AsArray().Last()!["content"]!.AsArray().First(b => b!["type"]!.GetValue<string>() == "tool_result")!["content"]!.GetValue<string>();
}
