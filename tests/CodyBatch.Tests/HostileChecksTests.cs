namespace CodyBatch.Tests;

/// <summary>Jobs whose checks attack the machine: each is contained and the run still ends cleanly, with the reason recorded.</summary>
public sealed class HostileChecksTests : ServerOnFakeGitHub
{
    private const string EnvironmentSecret = "sk-ant-api03-e2e-hostile-check-secret";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Factory.Settings["CodyBatch:Checks:Timeout"] = "00:00:03";
        Factory.Settings["CodyBatch:Checks:MaxProcesses"] = "64";
        GitHubApi.Add("octo", "app").With("README.md", "# App\n");
    }

    [Fact]
    public async Task A_check_that_prints_every_variable_leaks_no_secret_anywhere()
    {
        Environment.SetEnvironmentVariable("CODYBATCH_E2E_SECRET", EnvironmentSecret);
        try
        {
            var client = Factory.CreateClient();

            var (job, thread, patch) = await RunAsync(client, "env; cat /proc/1/environ /proc/self/environ | tr '\\0' '\\n'; echo listed");

            var verification = job["repositories"]![0]!["verification"]!;
            Assert.Equal("passed", verification["status"]!.GetValue<string>());
            Assert.Matches("(?m)^PATH=([^\\n]*:)?/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin$", verification["checks"]![0]!["after"]!["output"]!.GetValue<string>());
            foreach (var text in new[] { job.ToJsonString(), thread, patch, GitHubApi.PullRequests[0]["body"]!.GetValue<string>() })
            {
                Assert.DoesNotContain(EnvironmentSecret, text, StringComparison.Ordinal);
                Assert.DoesNotContain(GitHubApi.Token, text, StringComparison.Ordinal);
                Assert.DoesNotContain("CODYBATCH_E2E_SECRET", text, StringComparison.Ordinal);
                Assert.DoesNotContain("GITHUB_TOKEN", text, StringComparison.Ordinal);
            }

            Assert.Contains("listed", thread, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CODYBATCH_E2E_SECRET", null);
        }
    }

    [Fact]
    public async Task A_fork_bomb_and_an_endless_loop_are_stopped_at_their_limits_and_the_run_ends_with_the_reasons()
    {
        var client = Factory.CreateClient();

        var (job, _, patch) = await RunAsync(client, "bomb() { bomb | bomb & }; bomb; sleep 30", "while :; do :; done");

        var run = job["repositories"]![0]!;
        Assert.Equal("succeeded", run["status"]!.GetValue<string>());
        Assert.Equal("failing", run["verification"]!["status"]!.GetValue<string>());
        var checks = run["verification"]!["checks"]!.AsArray();
        Assert.Equal("stopped at the process limit of 64 (CodyBatch:Checks:MaxProcesses)", checks[0]!["before"]!["limit"]!.GetValue<string>());
        Assert.Equal("stopped at the process limit of 64 (CodyBatch:Checks:MaxProcesses)", checks[0]!["after"]!["limit"]!.GetValue<string>());
        Assert.Equal("stopped at the time limit of 3 s (CodyBatch:Checks:Timeout)", checks[1]!["before"]!["limit"]!.GetValue<string>());
        Assert.Equal("stopped at the time limit of 3 s (CodyBatch:Checks:Timeout)", checks[1]!["after"]!["limit"]!.GetValue<string>());
        Assert.Null(checks[1]!["after"]!["exitCode"]);
        Assert.Contains("+changed by octo/app", patch, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_check_that_deletes_the_workspaces_parent_and_writes_outside_changes_nothing_outside_its_copy()
    {
        var client = Factory.CreateClient();
        var dataDirectory = Factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Core.Configuration.CodyBatchOptions>>().Value.DataDirectory;
        var marker = Path.Combine(dataDirectory, "escaped");

        var (job, _, patch) = await RunAsync(client, $"rm -rf .. /repo/.. {dataDirectory} 2>/dev/null; mkdir -p {dataDirectory}; echo x > {marker}; echo x > ../sibling; rm -rf README.md; exit 0");

        var run = job["repositories"]![0]!;
        Assert.Equal("succeeded", run["status"]!.GetValue<string>());
        Assert.Equal("passed", run["verification"]!["status"]!.GetValue<string>());
        Assert.False(File.Exists(marker));
        Assert.True(File.Exists(Path.Combine(dataDirectory, "codybatch.db")));

        // The check deleted README.md in its copy; the workspace and so the patch never saw it.
        Assert.Contains("+changed by octo/app", patch, StringComparison.Ordinal);
        Assert.DoesNotContain("deleted file", patch, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_bubblewrap_checks_are_refused_with_the_sentence_and_the_run_still_works()
    {
        Factory.Settings["CodyBatch:Checks:BubblewrapPath"] = "/nonexistent/bwrap";
        var client = Factory.CreateClient();

        var (job, thread, _) = await RunAsync(client, "touch /tmp/codybatch-must-not-run");

        var run = job["repositories"]![0]!;
        Assert.Equal("succeeded", run["status"]!.GetValue<string>());
        var verification = run["verification"]!;
        Assert.Equal("unavailable", verification["status"]!.GetValue<string>());
        Assert.Equal(
            "Checks were not run: bubblewrap was not found at \"/nonexistent/bwrap\" (CodyBatch:Checks:BubblewrapPath); install the Debian package bubblewrap (apt-get install bubblewrap), the sandbox checks need.",
            verification["reason"]!.GetValue<string>());
        Assert.Null(verification["checks"]![0]!["before"]);
        Assert.Contains("\"unavailable\":\"Checks were not run: bubblewrap was not found", thread, StringComparison.Ordinal);
        Assert.False(File.Exists("/tmp/codybatch-must-not-run"));
        var pull = Assert.Single(GitHubApi.PullRequests);
        Assert.False(pull["draft"]!.GetValue<bool>());
        Assert.Contains("### Checks: unavailable", pull["body"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task<(JsonNode Job, string Thread, string Patch)> RunAsync(HttpClient client, params string[] checks)
    {
        var created = await client.PostAsJsonAsync("/api/jobs", new { prompt = "Append a line", repositories = new[] { "octo/app" }, checks });
        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
        var job = await client.WaitForEndAsync(id);
        var thread = await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/app/thread");
        var patch = await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/app/patch");
        return (job, thread, patch);
    }
}
