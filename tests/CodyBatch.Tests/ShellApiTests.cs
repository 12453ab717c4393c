using System.Text.Json.Nodes;
using CodyBatch.Claude.Messages;
using CodyBatch.Testing.Anthropic;
using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Tests;

/// <summary>
/// Claude's shell end to end: the real Claude agent against the fake Messages API calls Anthropic's bash tool,
/// the commands run in the run's sandbox, and what they change is part of the patch.
/// </summary>
public sealed class ShellApiTests : ServerOnFakeGitHub
{
    private FakeMessagesApi _claude = null!;
    private ClaudeClientFactory _clients = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _claude = await FakeMessagesApi.StartAsync();
        _clients = RealClaude.Clients(_claude);
        Factory.Agent = RealClaude.Agent(_clients);
        GitHubApi.Add("octo", "app").With("README.md", "# App\n").With(".gitignore", "node_modules/\n");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _claude.DisposeAsync();
        _clients.Dispose();
    }

    [Fact]
    public async Task Claude_runs_commands_in_one_session_and_what_they_write_is_in_the_patch_except_ignored_files()
    {
        Environment.SetEnvironmentVariable("CODYBATCH_SHELL_API_SECRET", "shell-api-test-secret-value");
        _claude.Enqueue(
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

            Assert.Empty(_claude.Problems);
            Assert.True(job["repositories"]![0]!["status"]!.GetValue<string>() == "succeeded", job.ToJsonString());
            var first = _claude.Requests[0].Body;
            Assert.Contains(first["tools"]!.AsArray(), t => t!["type"]?.GetValue<string>() == "bash_20250124" && t["name"]!.GetValue<string>() == "bash");
            Assert.Contains("Network: only through the HTTP proxy that HTTP_PROXY and HTTPS_PROXY point at, and only to registry.npmjs.org, ", first["system"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);

            // What Claude read back: the variable and directory carried over, no secret, and after the restart /repo again.
            var second = ToolResult(_claude.Requests[2].Body);
            Assert.StartsWith("[][][]\n/repo/sub\n[exit code 0 · ", second, StringComparison.Ordinal);
            Assert.Equal("The shell was restarted: a fresh session in /repo with no variables set.", ToolResult(_claude.Requests[3].Body));
            Assert.StartsWith("/repo\nCody Batch egress proxy: example.com is not on this run's egress allow-list (registry.npmjs.org, ", ToolResult(_claude.Requests[4].Body), StringComparison.Ordinal);
            Assert.Contains("[exit code 3 · ", ToolResult(_claude.Requests[4].Body), StringComparison.Ordinal);

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
        _claude.Enqueue(Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = false, ["summary"] = "Nothing to do." })));
        var client = Factory.CreateClient();

        var id = (await (await client.CreateJobAsync("octo/app")).JsonAsync())["id"]!.GetValue<string>();
        await client.WaitForEndAsync(id);

        var first = _claude.Requests[0].Body;
        Assert.DoesNotContain(first["tools"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "bash");
        Assert.Contains("You cannot run arbitrary commands and you cannot reach the network.", first["system"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var thread = await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/app/thread");
        Assert.Contains("The shell is turned off on this server (CodyBatch:Shell:Enabled).", thread, StringComparison.Ordinal);
    }

    private static string ToolResult(JsonObject body) =>
        body["messages"]!.AsArray().Last()!["content"]!.AsArray().First(b => b!["type"]!.GetValue<string>() == "tool_result")!["content"]!.GetValue<string>();
}
