using CodyBatch.Core.Jobs;
using CodyBatch.LocalGit;
using CodyBatch.Storage.Sqlite.Jobs;

namespace CodyBatch.Tests.Cli;

/// <summary><c>codybatch run</c> end to end: real parsing, host, store, workspaces and local repositories, with a scripted agent.</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly TempDirectory _root = new("codybatch-cli");

    public void Dispose() => _root.Dispose();

    private async Task<TestRepository> RepositoryAsync(string name)
    {
        var repository = await TestRepository.InitAsync(_root.Combine(name));
        repository.Write("README.md", $"# {name}\n").Write("src/app.txt", "hello\n");
        await repository.CommitAsync("initial");
        return repository;
    }

    private Task<(int ExitCode, string Output, string Error)> RunAsync(ICodeAgent agent, CancellationToken cancellationToken, params string[] args) =>
        CliRun.InvokeAsync(_root.Combine("data"), ["run", .. args], agent, cancellationToken);

    [Fact]
    public async Task A_run_over_local_repositories_writes_patches_threads_and_a_branch_and_shows_progress_and_results()
    {
        var app = await RepositoryAsync("app");
        var lib = await RepositoryAsync("lib");
        var head = (await app.GitAsync("rev-parse", "HEAD")).Trim();
        var outDir = _root.Combine("out");

        var (exit, output, error) = await RunAsync(
            ScriptedCodeAgent.AppendingTo("README.md", TimeSpan.FromMilliseconds(400)), CancellationToken.None, "Append a line", app.Path, new Uri(lib.Path).AbsoluteUri, "--out", outDir);

        Assert.True(exit == RunCommand.Succeeded, output + error);
        Assert.Matches(@"\[\d+:\d\d\] local/app: analyzing", output);
        Assert.Matches(@"\[\d+:\d\d\] local/lib: succeeded \(1,260 tokens, \$0\.0060\)", output);
        Assert.Matches(@"local/app\s+succeeded\s+yes\s+skipped\s+1,260\s+\$0\.0060", output);
        Assert.Matches(@"Total\s+completed\s+2,520\s+\$0\.0120", output);
        Assert.DoesNotContain("\x1b[", output, StringComparison.Ordinal);

        var patch = await File.ReadAllTextAsync(Path.Combine(outDir, "local-app.patch"));
        Assert.Contains("+changed by local/app", patch, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "local-lib.patch")));
        Assert.Contains("Append a line", await File.ReadAllTextAsync(Path.Combine(outDir, "local-app.thread.json")), StringComparison.Ordinal);

        // The branch holds the change as one commit on the snapshot; the checkout is as it was.
        var branch = (await app.GitAsync("for-each-ref", "--format=%(refname:short)", "refs/heads/codybatch/")).Trim();
        Assert.StartsWith("codybatch/", branch, StringComparison.Ordinal);
        Assert.Equal(head, (await app.GitAsync("rev-parse", $"{branch}^")).Trim());
        Assert.Equal("# app\nchanged by local/app\n", await app.GitAsync("show", $"{branch}:README.md"));
        Assert.Equal("main", (await app.GitAsync("symbolic-ref", "--short", "HEAD")).Trim());
        Assert.Equal("", await app.GitAsync("status", "--porcelain"));
        Assert.Contains($"branch: {branch}", output, StringComparison.Ordinal);

        // The patch file applies to a fresh clone.
        var clone = _root.Combine("clone");
        await GitCommandLine.RunAsync(_root.Path, ["-c", "protocol.file.allow=always", "clone", "--quiet", app.Path, clone], CancellationToken.None);
        await GitCommandLine.RunAsync(clone, ["apply", Path.Combine(outDir, "local-app.patch")], CancellationToken.None);
        Assert.Equal("# app\nchanged by local/app\n", await File.ReadAllTextAsync(Path.Combine(clone, "README.md")));
    }

    [Fact]
    public async Task Rerun_runs_the_same_prompt_and_repositories_in_the_same_campaign_on_the_same_branch()
    {
        var app = await RepositoryAsync("app");
        var (_, first, _) = await RunAsync(ScriptedCodeAgent.AppendingTo("README.md"), CancellationToken.None, "Append a line", app.Path, "--json", "--out", _root.Combine("out1"));
        var id = JsonNode.Parse(first)!["id"]!.GetValue<string>();

        var (exit, output, error) = await RunAsync(ScriptedCodeAgent.AppendingTo("README.md"), CancellationToken.None, "--rerun", id, "--json", "--out", _root.Combine("out2"));

        Assert.True(exit == RunCommand.Succeeded, output + error);
        var again = JsonNode.Parse(output)!;
        Assert.NotEqual(id, again["id"]!.GetValue<string>());
        Assert.Equal(id, again["campaign"]!["id"]!.GetValue<string>());
        Assert.Equal("Append a line", again["prompt"]!.GetValue<string>());
        Assert.Equal(app.Path, again["repositories"]![0]!["source"]!.GetValue<string>());
        Assert.Equal([$"codybatch/{id}"], (await app.GitAsync("for-each-ref", "--format=%(refname:short)", "refs/heads/codybatch/")).Trim().Split('\n'));

        var (missing, _, missingError) = await RunAsync(ScriptedCodeAgent.AppendingTo("README.md"), CancellationToken.None, "--rerun", "01aaaaaaaaaaaaaaaaaaaaaaaa");
        Assert.Equal(RunCommand.BadInput, missing);
        Assert.Contains("there is no job 01aaaaaaaaaaaaaaaaaaaaaaaa in this data folder", missingError, StringComparison.Ordinal);
        var (both, _, bothError) = await RunAsync(ScriptedCodeAgent.AppendingTo("README.md"), CancellationToken.None, "Fix", app.Path, "--rerun", id);
        Assert.NotEqual(RunCommand.Succeeded, both);
        Assert.Contains("give either --rerun or a prompt and repositories", bothError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_is_the_api_shape_and_patch_mode_makes_no_branch()
    {
        var app = await RepositoryAsync("app");

        var (exit, output, error) = await RunAsync(
            ScriptedCodeAgent.AppendingTo("README.md"), CancellationToken.None, "Append a line", app.Path, "--mode", "patch", "--json", "--out", _root.Combine("out"));

        Assert.Equal(RunCommand.Succeeded, exit);
        var job = JsonNode.Parse(output)!;
        Assert.Equal("completed", job["status"]!.GetValue<string>());
        Assert.Equal("patch", job["mode"]!.GetValue<string>());
        var run = job["repositories"]![0]!;
        Assert.Equal("local/app", run["repository"]!.GetValue<string>());
        Assert.Equal(app.Path, run["source"]!.GetValue<string>());
        Assert.Null(run["pullRequestBranch"]);
        Assert.Contains("local/app: succeeded", error, StringComparison.Ordinal);
        Assert.Equal("", (await app.GitAsync("for-each-ref", "refs/heads/codybatch/")).Trim());
    }

    [Fact]
    public async Task Bad_input_exits_2_with_a_message_per_repository_and_runs_nothing()
    {
        var agent = ScriptedCodeAgent.AppendingTo("README.md");

        var (exit, output, error) = await RunAsync(agent, CancellationToken.None, "Fix", _root.Combine("missing"), "not a repo");

        Assert.Equal(RunCommand.BadInput, exit);
        Assert.Contains($"codybatch: repositories[0]: There is no folder {_root.Combine("missing")}.", error, StringComparison.Ordinal);
        Assert.Contains("codybatch: repositories[1]: ", error, StringComparison.Ordinal);
        Assert.Equal("", output);
        Assert.Equal(0, agent.Calls);
    }

    [Fact]
    public async Task A_failed_run_exits_1_and_says_why()
    {
        var app = await RepositoryAsync("app");
        var agent = new ScriptedCodeAgent((_, _) => Task.FromResult(AgentOutcome.Failed("The run used its 40 turns without submitting a result.", TokenUsage.Zero)));

        var (exit, output, _) = await RunAsync(agent, CancellationToken.None, "Fix", app.Path);

        Assert.Equal(RunCommand.SomeFailed, exit);
        Assert.Contains("local/app: failed: The run used its 40 turns without submitting a result.", output, StringComparison.Ordinal);
        Assert.Contains("  error: The run used its 40 turns without submitting a result.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Interrupting_cancels_the_job_keeps_the_thread_and_leaves_the_store_consistent()
    {
        var app = await RepositoryAsync("app");
        var lib = await RepositoryAsync("lib");
        using var interrupt = new CancellationTokenSource();
        var agent = ScriptedCodeAgent.Hanging();

        // Interrupted once both runs are in the agent (each has recorded its first thread entry).
        var interrupting = agent.StartedAsync(2).ContinueWith(_ => interrupt.Cancel(), TaskScheduler.Default);

        var (exit, output, error) = await RunAsync(agent, interrupt.Token, "Fix", app.Path, lib.Path, "--out", _root.Combine("out"));

        await interrupting;
        Assert.Equal(RunCommand.Interrupted, exit);
        Assert.Contains("Cancelling", error, StringComparison.Ordinal);
        Assert.Matches(@"local/app\s+cancelled", output);
        var store = new SqliteJobStore(new SqliteStoreLocation(_root.Combine("data", "codybatch.db")));
        var job = Assert.Single((await store.ListAsync(new JobQuery(), CancellationToken.None)).Items);
        Assert.Equal(JobStatus.Cancelled, job.Status);
        Assert.All(job.Runs, run =>
        {
            Assert.Equal(RunStatus.Cancelled, run.Status);
            Assert.Null(run.LeaseOwner);
            Assert.NotNull(run.ThreadArtifact);
        });
        Assert.True(File.Exists(_root.Combine("out", "local-app.thread.json")));
    }
}
