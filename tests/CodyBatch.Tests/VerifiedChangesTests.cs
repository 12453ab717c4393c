using CodyBatch.Core.Checks;

namespace CodyBatch.Tests;

/// <summary>
/// Jobs on real repositories (made here, served by the fake GitHub) whose own checks run in the
/// bubblewrap sandbox before and after a scripted agent's change.
/// </summary>
public sealed class VerifiedChangesTests : ServerOnFakeGitHub
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Factory.Settings["CodyBatch:Checks:Timeout"] = "00:00:30";
    }

    [Fact]
    public async Task A_python_bug_the_agent_fixes_is_verified_as_fixed_and_the_pull_request_carries_the_table()
    {
        GitHubApi.Add("octo", "calc")
            .With("calc.py", "def add(a, b):\n    return a - b\n")
            .With("tests/test_calc.py", "import unittest\nfrom calc import add\n\n\nclass AddTests(unittest.TestCase):\n    def test_adds(self):\n        self.assertEqual(add(2, 3), 5)\n");
        var seen = new List<IReadOnlyList<CheckResult>>();
        Factory.Agent = new ScriptedCodeAgent(async (request, ct) =>
        {
            seen.Add(await request.Checks!.RunAsync(null, ct));
            await File.WriteAllTextAsync(Path.Combine(request.WorkspacePath, "calc.py"), "def add(a, b):\n    return a + b\n", ct);
            seen.Add(await request.Checks.RunAsync("unittest", ct));
            return AgentOutcome.Succeeded(new AgentResult(true, "Fixed add.", "Fix add", "add subtracted."), Core.Runs.TokenUsage.Zero);
        });
        var client = Factory.CreateClient();

        var job = await RunJobAsync(client, new { prompt = "Fix the failing test", repositories = new[] { "octo/calc" } });

        var run = job["repositories"]![0]!;
        Assert.Equal("succeeded", run["status"]!.GetValue<string>());
        var verification = run["verification"]!;
        Assert.Equal("fixed", verification["status"]!.GetValue<string>());
        Assert.Equal("detected from tests/", verification["source"]!.GetValue<string>());
        var check = verification["checks"]![0]!;
        Assert.Equal("python3 -m unittest discover -s tests", check["command"]!.GetValue<string>());
        Assert.Equal(1, check["before"]!["exitCode"]!.GetValue<int>());
        Assert.Equal(0, check["after"]!["exitCode"]!.GetValue<int>());
        Assert.Contains("FAILED (failures=1)", check["before"]!["output"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(check["after"]!["durationMs"]!.GetValue<long>() > 0);

        // What the agent saw through run_checks: the failure, then the fix passing.
        Assert.Equal(1, seen[0][0].ExitCode);
        Assert.Equal(0, seen[1][0].ExitCode);

        var pull = Assert.Single(GitHubApi.PullRequests);
        Assert.False(pull["draft"]!.GetValue<bool>());
        var body = pull["body"]!.GetValue<string>();
        Assert.Contains("### Checks: fixed", body, StringComparison.Ordinal);
        Assert.Contains("| `python3 -m unittest discover -s tests` | ❌ exit 1 (", body, StringComparison.Ordinal);
        Assert.Contains(" | ✅ passed (", body, StringComparison.Ordinal);

        // The verification on the pull request's head: the commit status codybatch/verification (a token, so not a check run).
        var status = Assert.Single(GitHubApi.StatusesOf("octo/calc", pull["head"]!["sha"]!.GetValue<string>()));
        Assert.Equal(("codybatch/verification", "success"), (status["context"]!.GetValue<string>(), status["state"]!.GetValue<string>()));
        Assert.Equal("Fixed: 1 of 1 checks failing before the change pass after it; nothing newly broken.", status["description"]!.GetValue<string>());
        Assert.Null(status["target_url"]);

        // The checks ran in a copy: their caches are not part of the change.
        var patch = await client.GetStringAsync($"/api/jobs/{job["id"]}/repositories/octo/calc/patch");
        Assert.DoesNotContain("__pycache__", patch, StringComparison.Ordinal);
        Assert.Contains("+    return a + b", patch, StringComparison.Ordinal);

        var thread = (await client.GetStringAsync($"/api/jobs/{job["id"]}/repositories/octo/calc/thread"));
        Assert.Contains("\"phase\":\"baseline\"", thread, StringComparison.Ordinal);
        Assert.Contains("\"phase\":\"after\"", thread, StringComparison.Ordinal);
        Assert.Contains("AssertionError: -1 != 5", thread, StringComparison.Ordinal);
        Assert.Empty(GitHubApi.Problems);
    }

    [Fact]
    public async Task An_edit_that_breaks_a_passing_node_test_suite_is_broke_and_opens_a_draft_with_a_notice()
    {
        GitHubApi.Add("octo", "web")
            .With("package.json", """{ "name": "web", "scripts": { "test": "node --test" } }""")
            .With("sum.js", "exports.sum = (a, b) => a + b;\n")
            .With("test/sum.test.js", "const test = require('node:test');\nconst assert = require('node:assert');\nconst { sum } = require('../sum.js');\n\ntest('adds', () => assert.strictEqual(sum(2, 3), 5));\n");
        Factory.Agent = new ScriptedCodeAgent(async (request, ct) =>
        {
            await File.WriteAllTextAsync(Path.Combine(request.WorkspacePath, "sum.js"), "exports.sum = (a, b) => a * b;\n", ct);
            return AgentOutcome.Succeeded(new AgentResult(true, "Multiplied.", "Multiply", "Now multiplies."), Core.Runs.TokenUsage.Zero);
        });
        Factory.Settings["CodyBatch:PublicUrl"] = "https://codybatch.example.com";
        var client = Factory.CreateClient();

        var job = await RunJobAsync(client, new { prompt = "Make sum multiply", repositories = new[] { "octo/web" } });

        var run = job["repositories"]![0]!;
        Assert.Equal("succeeded", run["status"]!.GetValue<string>());
        Assert.Equal("broke", run["verification"]!["status"]!.GetValue<string>());
        Assert.Equal("detected from package.json", run["verification"]!["source"]!.GetValue<string>());
        Assert.Equal(0, run["verification"]!["checks"]![0]!["before"]!["exitCode"]!.GetValue<int>());
        Assert.NotEqual(0, run["verification"]!["checks"]![0]!["after"]!["exitCode"]!.GetValue<int>());
        Assert.Equal("Opened as a draft pull request: the change broke `npm test` (passed on the baseline, fails after the change).", run["notice"]!.GetValue<string>());
        var pull = Assert.Single(GitHubApi.PullRequests);
        Assert.True(pull["draft"]!.GetValue<bool>());
        var body = pull["body"]!.GetValue<string>();
        Assert.Contains("### Checks: broke", body, StringComparison.Ordinal);
        Assert.Contains("The change broke `npm test`: passed on the baseline, fails after the change.", body, StringComparison.Ordinal);
        Assert.Contains("| `npm test` | ✅ passed (", body, StringComparison.Ordinal);
        var create = Assert.Single(GitHubApi.Requests, r => r.Method == "POST" && r.Path.EndsWith("/pulls", StringComparison.Ordinal));
        Assert.True(JsonNode.Parse(create.Body)!["draft"]!.GetValue<bool>());
        var status = Assert.Single(GitHubApi.StatusesOf("octo/web", pull["head"]!["sha"]!.GetValue<string>()));
        Assert.Equal(("failure", "Broke: npm test passed before the change and fails after it."), (status["state"]!.GetValue<string>(), status["description"]!.GetValue<string>()));
        Assert.Equal($"https://codybatch.example.com/jobs/{job["id"]}", status["target_url"]!.GetValue<string>());
        Assert.Empty(GitHubApi.Problems);
    }

    [Fact]
    public async Task A_broken_change_where_github_refuses_drafts_stays_a_branch_and_a_patch_with_a_notice()
    {
        var repository = GitHubApi.Add("octo", "web")
            .With("package.json", """{ "name": "web", "scripts": { "test": "node --test" } }""")
            .With("sum.js", "exports.sum = (a, b) => a + b;\n")
            .With("test/sum.test.js", "const test = require('node:test');\nconst assert = require('node:assert');\nconst { sum } = require('../sum.js');\n\ntest('adds', () => assert.strictEqual(sum(2, 3), 5));\n");
        repository.DraftsSupported = false;
        Factory.Agent = new ScriptedCodeAgent(async (request, ct) =>
        {
            await File.WriteAllTextAsync(Path.Combine(request.WorkspacePath, "sum.js"), "exports.sum = (a, b) => a - b;\n", ct);
            return AgentOutcome.Succeeded(new AgentResult(true, "Subtracted.", "Subtract", "Now subtracts."), Core.Runs.TokenUsage.Zero);
        });
        var client = Factory.CreateClient();

        var job = await RunJobAsync(client, new { prompt = "Make sum subtract", repositories = new[] { "octo/web" } });

        var run = job["repositories"]![0]!;
        Assert.Equal("succeeded", run["status"]!.GetValue<string>());
        Assert.Equal("broke", run["verification"]!["status"]!.GetValue<string>());
        Assert.Null(run["pullRequestUrl"]);
        var branch = run["pullRequestBranch"]!.GetValue<string>();
        Assert.Equal(
            $"No pull request: the change broke `npm test` (passed on the baseline, fails after the change) and octo/web cannot take it as a draft, so it is kept as the branch {branch} and the patch.",
            run["notice"]!.GetValue<string>());
        Assert.Empty(GitHubApi.PullRequests);
        Assert.NotNull(GitHubApi.Branch("octo/web", branch));
        Assert.Empty(GitHubApi.Problems);
    }

    [Fact]
    public async Task A_repository_without_checks_is_skipped_and_its_pull_request_is_ready()
    {
        GitHubApi.Add("octo", "docs").With("README.md", "# Docs\n");
        var client = Factory.CreateClient();

        var job = await RunJobAsync(client, new { prompt = "Append a line", repositories = new[] { "octo/docs" } });

        var verification = job["repositories"]![0]!["verification"]!;
        Assert.Equal("skipped", verification["status"]!.GetValue<string>());
        Assert.Equal("none found: no checks file, and nothing in the repository's files to detect", verification["source"]!.GetValue<string>());
        Assert.Empty(verification["checks"]!.AsArray());
        var pull = Assert.Single(GitHubApi.PullRequests);
        Assert.False(pull["draft"]!.GetValue<bool>());
        Assert.DoesNotContain("### Checks", pull["body"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_jobs_checks_override_detection_and_an_empty_list_runs_none()
    {
        GitHubApi.Add("octo", "web")
            .With("package.json", """{ "scripts": { "test": "node --test" } }""")
            .With("README.md", "# Web\n");
        var client = Factory.CreateClient();

        var job = await RunJobAsync(client, new { prompt = "Append a line", repositories = new[] { "octo/web" }, checks = new[] { "grep -q Web README.md" } });
        var none = await RunJobAsync(client, new { prompt = "Append a line", repositories = new[] { "octo/web" }, checks = Array.Empty<string>() });

        Assert.Equal(["grep -q Web README.md"], job["checks"]!.AsArray().Select(c => c!.GetValue<string>()));
        var verification = job["repositories"]![0]!["verification"]!;
        Assert.Equal("passed", verification["status"]!.GetValue<string>());
        Assert.Equal("the job", verification["source"]!.GetValue<string>());
        Assert.Equal(["grep -q Web README.md"], verification["checks"]!.AsArray().Select(c => c!["command"]!.GetValue<string>()));
        Assert.Empty(none["checks"]!.AsArray());
        Assert.Equal("skipped", none["repositories"]![0]!["verification"]!["status"]!.GetValue<string>());
        Assert.Equal("none: the job asked for no checks", none["repositories"]![0]!["verification"]!["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_checks_in_a_job_request_are_refused_per_field()
    {
        var client = Factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/jobs", new { prompt = "x", repositories = new[] { "octo/web" }, checks = new[] { "npm test", " ", "npm test" } });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Equal("Write a command line, such as npm test; leave out empty checks.", problem["errors"]!["checks[1]"]![0]!.GetValue<string>());
        Assert.Equal("\"npm test\" is listed twice; list each check once.", problem["errors"]!["checks[2]"]![0]!.GetValue<string>());
    }
}
