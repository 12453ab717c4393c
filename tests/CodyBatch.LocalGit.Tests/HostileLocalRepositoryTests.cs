using System.Diagnostics;

namespace CodyBatch.LocalGit.Tests;

/// <summary>
/// Local repositories whose configuration tries to run code when git touches them: hooks, a smudge,
/// clean and process filter, a file-system monitor, a hooks path of their own and aliases named like
/// the commands Cody Batch runs. A whole job's git work (resolve, snapshot, patch, publish) runs none.
/// </summary>
public sealed class HostileLocalRepositoryTests : LocalGitFixture
{
    private static readonly string[] Hooks =
    [
        "post-checkout", "reference-transaction", "post-index-change", "pre-commit", "post-commit", "post-rewrite", "pre-auto-gc", "post-merge",
    ];

    private static readonly string[] AliasedCommands =
    [
        "rev-parse", "read-tree", "checkout-index", "apply", "write-tree", "commit-tree", "update-ref", "symbolic-ref", "init", "add", "diff",
    ];

    [Fact]
    public async Task A_job_on_a_repository_with_hooks_filters_fsmonitor_and_aliases_runs_none_of_them()
    {
        var markers = Root.Combine("markers");
        Directory.CreateDirectory(markers);
        var source = await TestRepository.InitAsync(Root.Combine("source"));
        source.Write("a.txt", "raw\n").Write(".gitattributes", "* filter=evil\n");
        await source.CommitAsync();
        Arm(source.Path, markers);

        // The traps are real: git as a user runs it, with this repository's config, springs them.
        await PlainGitAsync(source.Path, "checkout-index", "--force", "--", "a.txt");
        await PlainGitAsync(source.Path, "update-ref", "refs/heads/armed", "HEAD");
        Assert.Contains("process", Sprung(markers));
        Assert.Contains("fsmonitor", Sprung(markers));
        Assert.Contains("reference-transaction", Sprung(markers));
        foreach (var sprung in Sprung(markers))
        {
            File.Delete(Path.Combine(markers, sprung));
        }

        var (resolved, workspace) = await CheckOutAsync(source.Path);
        await using var _ = workspace;
        var snapshot = await File.ReadAllTextAsync(Path.Combine(workspace.RepositoryPath, "a.txt"));
        TestRepository.At(workspace.RepositoryPath).Write("a.txt", "changed\n");
        var patch = await workspace.CreatePatchAsync(CancellationToken.None);
        var published = await Host.PublishAsync(
            new PublishRequest("01jobjobjobjobjobjobjobjob", resolved, workspace.RepositoryPath, patch, "Change", "Body", []), CancellationToken.None);

        Assert.Empty(Sprung(markers));
        Assert.Equal("raw\n", snapshot);
        Assert.Equal("changed\n", await source.GitAsync("show", $"{published.Branch}:a.txt"));
        Assert.Empty(Sprung(markers));
    }

    [Fact]
    public async Task Git_trusts_a_repository_of_another_owner_only_when_it_is_the_one_named()
    {
        var source = await TestRepository.InitAsync(Root.Combine("theirs"));
        source.Write("a.txt", "a\n");
        await source.CommitAsync();
        var other = await TestRepository.InitAsync(Root.Combine("other"));
        if (!Environment.IsPrivilegedProcess)
        {
            return; // Only root can give a folder to another owner; the product's normal case is covered above.
        }

        await RunAsync("chown", "-R", "1234:1234", source.Path);

        var named = await GitCommandLine.RunAsync(source.Path, ["rev-parse", "HEAD"], CancellationToken.None, safeDirectory: source.Path);
        var unnamed = await Assert.ThrowsAsync<GitException>(() => GitCommandLine.RunAsync(source.Path, ["rev-parse", "HEAD"], CancellationToken.None));
        var wrongName = await Assert.ThrowsAsync<GitException>(() => GitCommandLine.RunAsync(source.Path, ["rev-parse", "HEAD"], CancellationToken.None, safeDirectory: other.Path));
        var resolved = await Host.ResolveAsync(source.Path, CancellationToken.None);

        Assert.Matches("^[0-9a-f]{40}\n$", named);
        Assert.Contains("dubious ownership", unnamed.Error, StringComparison.Ordinal);
        Assert.Contains("dubious ownership", wrongName.Error, StringComparison.Ordinal);
        Assert.Equal(named.Trim(), resolved.CommitSha);
    }

    [Fact]
    public async Task Git_sees_none_of_Cody_Batch_s_environment()
    {
        // Names no other test reads (tests run in parallel in one process): git gets no variable at all, whatever its name.
        Environment.SetEnvironmentVariable("CODYBATCH_GIT_TEST_TOKEN", "ghp_gitEnvironmentTestToken0123456789");
        Environment.SetEnvironmentVariable("CODYBATCH_GIT_TEST_MARKER", "/nonexistent-git-dir");
        try
        {
            var source = await TestRepository.InitAsync(Root.Combine("env"));
            source.Write("a.txt", "a\n");
            await source.CommitAsync();
            await File.AppendAllTextAsync(
                Path.Combine(source.Path, ".git", "config"), $"[alias]\n\tenvironment = !env > {Root.Combine("seen")}\n");

            // An alias of a command git does not have is the one way git would run it; even then no token is there.
            await GitCommandLine.RunAsync(source.Path, ["environment"], CancellationToken.None);
            var seen = await File.ReadAllTextAsync(Root.Combine("seen"));

            Assert.DoesNotContain("ghp_", seen, StringComparison.Ordinal);
            Assert.DoesNotContain("/nonexistent-git-dir", seen, StringComparison.Ordinal);
            Assert.Contains("GIT_CONFIG_NOSYSTEM=1", seen, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CODYBATCH_GIT_TEST_TOKEN", null);
            Environment.SetEnvironmentVariable("CODYBATCH_GIT_TEST_MARKER", null);
        }
    }

    private static void Arm(string repository, string markers)
    {
        var git = Path.Combine(repository, ".git");
        string Script(string name)
        {
            var file = Path.Combine(markers, $"{name}.sh");
            File.WriteAllText(file, $"#!/bin/sh\ntouch '{Path.Combine(markers, name)}'\ncat\n");
            File.SetUnixFileMode(file, (UnixFileMode)0b111_101_101);
            return file;
        }

        var hooks = Path.Combine(git, "hooks");
        var ownHooks = Path.Combine(repository, "own-hooks");
        foreach (var folder in new[] { hooks, ownHooks })
        {
            Directory.CreateDirectory(folder);
            foreach (var hook in Hooks)
            {
                File.Copy(Script(hook), Path.Combine(folder, hook), overwrite: true);
            }
        }

        var config = $"""
            [filter "evil"]
            	smudge = {Script("smudge")}
            	clean = {Script("clean")}
            	process = {Script("process")}
            	required = true
            [core]
            	fsmonitor = {Script("fsmonitor")}
            	hooksPath = {ownHooks}
            	pager = {Script("pager")}
            	editor = {Script("editor")}
            [alias]

            """;
        foreach (var command in AliasedCommands)
        {
            config += $"\t{command} = !{Script($"alias-{command}")}\n";
        }

        File.AppendAllText(Path.Combine(git, "config"), config);

        // A fresh index so the next plain checkout-index smudges (and the monitor is consulted).
        File.Delete(Path.Combine(git, "index"));
        var restore = Process.Start(new ProcessStartInfo("git", ["-C", repository, "-c", "core.hooksPath=/dev/null", "read-tree", "HEAD"]) { UseShellExecute = false })!;
        restore.WaitForExit();
    }

    private static List<string> Sprung(string markers) =>
        [.. Directory.GetFiles(markers).Where(f => !f.EndsWith(".sh", StringComparison.Ordinal)).Select(Path.GetFileName).OfType<string>()];

    // git as a user would run it: the repository's config in force.
    private static async Task PlainGitAsync(string repository, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { UseShellExecute = false, WorkingDirectory = repository, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
    }
}
