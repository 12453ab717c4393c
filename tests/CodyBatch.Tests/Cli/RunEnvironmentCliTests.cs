using CodyBatch.Core.Environments;

namespace CodyBatch.Tests.Cli;

/// <summary><c>codybatch run --no-shell --network none</c> on local repositories, and the cause of a failing or unavailable check printed.</summary>
public sealed class RunEnvironmentCliTests : IDisposable
{
    private readonly TempDirectory _root = new("codybatch-cli-environment");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task A_run_without_shell_or_network_prints_the_cause_of_a_failing_check_and_of_an_unavailable_one()
    {
        var failing = await TestRepository.InitAsync(_root.Combine("failing"));
        failing.Write(".codybatch/checks.json", """{ "checks": [ { "name": "unit", "command": "echo 'Ran 1 test'; echo 'AssertionError: expected 5, got -1'; echo 'FAILED (failures=1)'; exit 1" } ] }""");
        await failing.CommitAsync();
        var missing = await TestRepository.InitAsync(_root.Combine("missing"));
        missing.Write(".codybatch/checks.json", """{ "checks": [ { "name": "build", "command": "zigzag build test" } ] }""");
        await missing.CommitAsync();
        var shells = new List<RunShell?>();
        var agent = new ScriptedCodeAgent((request, _) =>
        {
            lock (shells)
            {
                shells.Add(request.Shell);
            }

            return Task.FromResult(AgentOutcome.Succeeded(new AgentResult(false, "Looked."), Core.Runs.TokenUsage.Zero));
        });
        var text = await RunWithoutShellOrNetworkAsync(agent, "Look", failing.Path, missing.Path);
        Assert.Equal([null, null], shells);
        Assert.Contains("checks: failing (.codybatch/checks.json): Still failing as on the baseline: `unit`.", text, StringComparison.Ordinal);
        Assert.Matches(@"unit: before exit 1 in \d+\.\d s \(AssertionError: expected 5, got -1\)", text);
        Assert.Contains("checks: unavailable (.codybatch/checks.json): The check `build` cannot run here: zigzag not found: no toolchain root provides it", text, StringComparison.Ordinal);
        Assert.Matches(@"build: before exit 127 in \d+\.\d s \(zigzag not found: no toolchain root provides it", text);
        var thread = await File.ReadAllTextAsync(_root.Combine("out", "local-failing.thread.json"));
        Assert.Contains("The shell is turned off for this job (shell: false).", thread, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"the job asked for no network\"", thread, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_to_a_file_setup_depends_on_gets_setup_again_before_the_checks_after_it_and_the_run_prints_it()
    {
        // Setup copies the manifest; the check compares them, so it passes after the change only if setup ran again.
        var repository = await TestRepository.InitAsync(_root.Combine("manifest"));
        repository.Write("package.json", "{ \"name\": \"app\", \"version\": \"1.0.0\" }\n")
            .Write(".codybatch/checks.json", """{ "setup": ["cp package.json installed.json"], "checks": [ { "name": "installed", "command": "cmp package.json installed.json" } ] }""");
        await repository.CommitAsync();
        var other = await TestRepository.InitAsync(_root.Combine("readme"));
        other.Write("package.json", "{ \"name\": \"app\", \"version\": \"1.0.0\" }\n")
            .Write(".codybatch/checks.json", """{ "setup": ["cp package.json installed.json"], "checks": [ { "name": "installed", "command": "cmp package.json installed.json" } ] }""");
        await other.CommitAsync();
        var agent = new ScriptedCodeAgent(async (request, ct) =>
        {
            var touched = request.Repository.EndsWith("manifest", StringComparison.Ordinal) ? "package.json" : "README.md";
            await File.WriteAllTextAsync(Path.Combine(request.WorkspacePath, touched), "{ \"name\": \"app\", \"version\": \"2.0.0\" }\n", ct);
            return AgentOutcome.Succeeded(new AgentResult(true, "Bumped.", "Bump", "Bumped."), Core.Runs.TokenUsage.Zero);
        });
        var text = await RunWithoutShellOrNetworkAsync(agent, "Bump", repository.Path, other.Path);
        var (manifest, readme) = (text.LastIndexOf("local/manifest:\n", StringComparison.Ordinal), text.LastIndexOf("local/readme:\n", StringComparison.Ordinal));
        Assert.True(manifest >= 0 && readme >= 0, text);
        var (manifestPart, readmePart) = manifest < readme ? (text[manifest..readme], text[readme..]) : (text[manifest..], text[readme..manifest]);
        Assert.Contains("checks: passed (.codybatch/checks.json)", manifestPart, StringComparison.Ordinal);
        Assert.Matches(@"setup again after the change `cp package.json installed.json`: exit 0 in \d+\.\d s", manifestPart);
        Assert.Contains("checks: passed (.codybatch/checks.json)", readmePart, StringComparison.Ordinal);
        Assert.DoesNotContain("setup again after the change", readmePart, StringComparison.Ordinal);
    }

    // codybatch run --no-shell --network none on the repositories, with the agent given; what it printed, after it succeeded.
    private async Task<string> RunWithoutShellOrNetworkAsync(ICodeAgent agent, string prompt, params string[] repositories)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CodyBatchCli.InvokeAsync(
            ["run", prompt, .. repositories, "--mode", "patch", "--no-shell", "--network", "none", "--out", _root.Combine("out"), "--data", _root.Combine("data")],
            new InvocationConfiguration { Output = output, Error = error },
            services => services.AddSingleton<ICodeAgent>(agent));

        var text = output.ToString();
        Assert.True(exit == RunCommand.Succeeded, text + error);
        return text;
    }

    [Fact]
    public async Task The_results_list_the_shell_commands_with_their_ending_and_print_their_control_characters_inertly()
    {
        var repository = await TestRepository.InitAsync(_root.Combine("shelled"));
        repository.Write("README.md", "# shelled\n");
        await repository.CommitAsync();
        var agent = new ScriptedCodeAgent(async (request, ct) =>
        {
            Assert.NotNull(request.Shell);
            await request.Shell.RunAsync("cd /repo && ls", ct);
            await request.Shell.RunAsync("printf x; sh -c 'exit 3'", ct);
            await request.Shell.RunAsync("echo '\u001b]0;owned\u0007\u001b[2J'\nsecond line", ct);
            return AgentOutcome.Succeeded(new AgentResult(false, "Looked."), Core.Runs.TokenUsage.Zero);
        });
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await CodyBatchCli.InvokeAsync(
            ["run", "Look", repository.Path, "--mode", "patch", "--network", "none", "--out", _root.Combine("out"), "--data", _root.Combine("data")],
            new InvocationConfiguration { Output = output, Error = error },
            services => services.AddSingleton<ICodeAgent>(agent));

        var text = output.ToString();
        Assert.True(exit == RunCommand.Succeeded, text + error);
        Assert.Contains("  shell:\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Matches(@"\$ cd /repo && ls → exit 0 in \d+\.\d s", text);
        Assert.Matches(@"\$ printf x; sh -c 'exit 3' → exit 3 in \d+\.\d s", text);
        Assert.Contains(@"$ echo '\u001b]0;owned\u0007\u001b[2J' … →", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u0007', text);
    }
}
