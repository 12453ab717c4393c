using System.Security.Cryptography;
using CodyBatch.Testing.Registries;
using Microsoft.Extensions.Logging;
using static CodyBatch.Testing.Anthropic.FakeReply;

namespace CodyBatch.Tests;

/// <summary>
/// A private registry whose credential is configured on the server: Claude's install in the sandbox uses it, and it
/// appears nowhere — not in the sandbox (a scripted search), the thread, the patch, the API's answers or the logs.
/// </summary>
public sealed class PrivateRegistryApiTests : ClaudeOnFakeGitHub
{
    private readonly RecordingLoggerProvider _logs = new();
    private readonly string _token = "npm_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
    private FakeNpmRegistry _npm = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _npm = (await FakeNpmRegistry.StartAsync(_token)).Publish("demo-pad", "1.0.0").Publish("demo-pad", "2.0.0");
        Factory.Settings["CodyBatch:Egress:PrivateRegistries:0:Name"] = "internal";
        Factory.Settings["CodyBatch:Egress:PrivateRegistries:0:Url"] = _npm.BaseUrl + "/";
        Factory.Settings["CodyBatch:Egress:PrivateRegistries:0:Ecosystem"] = "npm";
        Factory.Settings["CodyBatch:Egress:PrivateRegistries:0:Token"] = _token;
        Factory.ConfigureServices = services => services.AddLogging(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        GitHubApi.Add("octo", "app")
            .With("package.json", "{\n  \"name\": \"app\",\n  \"version\": \"1.0.0\"\n}\n")
            .With(".gitignore", "node_modules/\n");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _npm.DisposeAsync();
    }

    [Fact]
    public async Task An_install_uses_the_servers_credential_and_the_credential_appears_nowhere()
    {
        var (a, b) = (_token[..10], _token[10..]);
        Claude.Enqueue(
            Message(ToolUse("bash", new JsonObject { ["command"] = "npm install --no-audit --no-fund demo-pad@2.0.0 && node -e \"console.log(require('demo-pad').version)\" && cat /tmp/.npmrc" })),
            Message(ToolUse("bash", new JsonObject
            {
                ["command"] = $$"""
                    pattern() { printf '%s%s\n' '{{a}}' '{{b}}'; }
                    echo "files: $(grep -rlsF -f <(pattern) /tmp /repo /run /etc /var 2>/dev/null | wc -l)"
                    echo "env: $(env | grep -cF -f <(pattern))"
                    echo "proc: $(for f in /proc/[0-9]*/environ /proc/[0-9]*/cmdline; do tr '\0' '\n' 2>/dev/null < "$f"; done | grep -cF -f <(pattern))"
                    printf '%s%s' 'ctl-' 'marker' > /tmp/control.txt; echo "control: $(grep -rlsF -f <(printf '%s%s\n' 'ctl-' 'marker') /tmp /repo /run /etc /var 2>/dev/null | wc -l)"
                    """,
            })),
            Message(ToolUse("submit_result", new JsonObject { ["wereChangesNecessary"] = true, ["summary"] = "Added demo-pad.", ["pullRequestTitle"] = "Add demo-pad", ["pullRequestBody"] = "Adds it." })));
        var client = Factory.CreateClient();

        var id = (await (await client.CreateJobAsync("octo/app")).JsonAsync())["id"]!.GetValue<string>();
        var job = await client.WaitForEndAsync(id);

        Assert.Empty(Claude.Problems);
        Assert.True(job["repositories"]![0]!["status"]!.GetValue<string>() == "succeeded", job.ToJsonString());
        var install = ToolResult(Claude.Requests[1].Body);
        Assert.Contains("added 1 package", install, StringComparison.Ordinal);
        Assert.Contains("\n2.0.0\nregistry=http://127.0.0.1:3128/registries/internal/\n[exit code 0 · ", install, StringComparison.Ordinal);
        Assert.Contains(_npm.Requests, r => r.Path == "/demo-pad/-/demo-pad-2.0.0.tgz" && r.Authorized);
        Assert.All(_npm.Requests, r => Assert.True(r.Authorized, r.Path));
        var search = ToolResult(Claude.Requests[2].Body);
        Assert.True(search.StartsWith("files: 0\nenv: 0\nproc: 0\ncontrol: 1\n", StringComparison.Ordinal), search);

        var patch = await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/app/patch");
        Assert.Contains("+    \"demo-pad\": \"^2.0.0\"", patch, StringComparison.Ordinal);
        Assert.Contains("\"resolved\": \"http://127.0.0.1:3128/registries/internal/demo-pad/-/demo-pad-2.0.0.tgz\"", patch, StringComparison.Ordinal);
        var thread = await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/app/thread");
        Assert.Contains("\"privateRegistries\":[{\"name\":\"internal\",\"ecosystem\":\"npm\"", thread, StringComparison.Ordinal);
        var everything = string.Join('\n', [
            patch,
            thread,
            job.ToJsonString(),
            await client.GetStringAsync("/api/jobs"),
            await client.GetStringAsync($"/api/jobs/{id}"),
            .. Claude.Requests.Select(r => r.Body.ToJsonString()),
            .. _logs.Lines,
        ]);
        Assert.DoesNotContain(_token, everything, StringComparison.Ordinal);
        Assert.NotEmpty(_logs.Lines);
    }

    private static string ToolResult(JsonObject body) =>
        body["messages"]!.AsArray().Last()!["content"]!.AsArray().First(b => b!["type"]!.GetValue<string>() == "tool_result")!["content"]!.GetValue<string>();
}
