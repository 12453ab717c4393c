using System.Text;

namespace CodyBatch.LocalGit.Tests;

/// <summary>
/// Every kind of change a run can make, through the real path: snapshot of a local repository,
/// change, patch, then <c>git apply</c> on a fresh clone and on the published branch: the trees must be identical.
/// </summary>
public sealed class PatchRoundTripTests : LocalGitFixture
{
    private static readonly byte[] Binary = [0, 1, 2, 3, 255, 254, 0, 10, 13, 0, 42];

    private async Task<TestRepository> SourceAsync()
    {
        var source = await TestRepository.InitAsync(Root.Combine("source"));
        source
            .Write("README.md", "# Project\n\nSome text.\n")
            .Write("dir with space/file one.txt", "one\n")
            .Write("ünïcödé/naïve café.txt", "crème brûlée\n")
            .Write("crlf.txt", "line one\r\nline two\r\nline three\r\n")
            .Write("image.bin", Binary)
            .Write("empty.txt", "")
            .Write("to-delete.txt", "going away\n")
            .Write("to-rename.txt", string.Concat(Enumerable.Range(1, 40).Select(i => $"line {i} of a file that moves\n")))
            .Write("script.sh", "#!/bin/sh\necho hi\n")
            .Write("tool.sh", "#!/bin/sh\necho tool\n").Executable("tool.sh")
            .Symlink("readme-link", "README.md");
        await source.CommitAsync("initial");
        return source;
    }

    private static void ChangeEverything(string tree)
    {
        var edit = TestRepository.At(tree);
        edit.Write("README.md", "# Project\n\nSome better text.\n");
        edit.Write("crlf.txt", "line one\r\nline 2\r\nline three\r\n");
        edit.Write("image.bin", [.. Binary, 7, 7, 0]);
        edit.Write("new.bin", [0, 0, 0, 1, 2, 3]);
        edit.Write("new-empty.txt", "");
        edit.Write("empty.txt", "not empty any more\n");
        File.Delete(Path.Combine(tree, "to-delete.txt"));
        var moved = File.ReadAllText(Path.Combine(tree, "to-rename.txt")).Replace("line 3 ", "line three ", StringComparison.Ordinal);
        File.Delete(Path.Combine(tree, "to-rename.txt"));
        edit.Write("moved here/renamed.txt", moved);
        edit.Executable("script.sh", true);
        edit.Executable("tool.sh", false);
        edit.Write("dir with space/file one.txt", "one, edited\n");
        edit.Write("ünïcödé/新しい ファイル.txt", "新しい\n");
        File.CreateSymbolicLink(Path.Combine(tree, "new-link"), "dir with space/file one.txt");
        File.Delete(Path.Combine(tree, "readme-link"));
        File.CreateSymbolicLink(Path.Combine(tree, "readme-link"), "crlf.txt");
    }

    [Fact]
    public async Task The_snapshot_is_the_commit_and_the_users_checkout_is_untouched()
    {
        var source = await SourceAsync();
        source.Write("README.md", "uncommitted edit\n").Write("untracked.txt", "mine\n");
        await source.GitAsync("add", "README.md");
        var statusBefore = await source.GitAsync("status", "--porcelain=v2");

        var (resolved, workspace) = await CheckOutAsync(source.Path);
        await using var _ = workspace;

        Assert.Equal((await source.GitAsync("rev-parse", "HEAD")).Trim(), resolved.CommitSha);
        Assert.Equal("main", resolved.DefaultBranch);
        Assert.Equal("local/source", resolved.FullName);
        var clean = await CloneAsync(source.Path, "clean");
        Assert.Equal(TestRepository.Snapshot(clean), TestRepository.Snapshot(workspace.RepositoryPath));
        Assert.Equal(statusBefore, await source.GitAsync("status", "--porcelain=v2"));
        Assert.Equal("uncommitted edit\n", File.ReadAllText(Path.Combine(source.Path, "README.md")));
    }

    [Fact]
    public async Task Every_kind_of_change_round_trips_through_the_patch()
    {
        var source = await SourceAsync();
        var (_, workspace) = await CheckOutAsync(source.Path);
        await using var _ = workspace;

        ChangeEverything(workspace.RepositoryPath);
        var patch = await workspace.CreatePatchAsync(CancellationToken.None);

        var changes = await workspace.ListChangesAsync(CancellationToken.None);
        Assert.Contains(new WorkspaceChange("to-delete.txt", true, null, false), changes);
        Assert.Contains(new WorkspaceChange("to-rename.txt", true, null, false), changes);
        Assert.Contains(new WorkspaceChange("moved here/renamed.txt", false, "100644", false), changes);
        Assert.Contains(new WorkspaceChange("script.sh", false, "100755", false), changes);
        Assert.Contains(new WorkspaceChange("tool.sh", false, "100644", false), changes);
        Assert.Contains(new WorkspaceChange("new.bin", false, "100644", true), changes);
        Assert.Contains(new WorkspaceChange("image.bin", false, "100644", true), changes);
        Assert.Contains(new WorkspaceChange("new-link", false, "120000", false), changes);
        Assert.Contains(new WorkspaceChange("ünïcödé/新しい ファイル.txt", false, "100644", false), changes);
        Assert.Contains("rename from to-rename.txt", patch, StringComparison.Ordinal);
        Assert.Contains("GIT binary patch", patch, StringComparison.Ordinal);
        Assert.Contains("deleted file mode 100644", patch, StringComparison.Ordinal);
        Assert.Contains("old mode 100644\nnew mode 100755", patch, StringComparison.Ordinal);
        var copy = await CloneAsync(source.Path, "copy");
        var patchFile = Root.Combine("change.patch");
        await File.WriteAllTextAsync(patchFile, patch, new UTF8Encoding(false));
        await GitCommandLine.RunAsync(copy, ["apply", "--check", patchFile], CancellationToken.None);
        await GitCommandLine.RunAsync(copy, ["apply", patchFile], CancellationToken.None);
        var expected = TestRepository.Snapshot(workspace.RepositoryPath);
        Assert.Equal(expected, TestRepository.Snapshot(copy));
        Assert.Equal("link -> crlf.txt", expected["readme-link"]);
        Assert.Equal("link -> dir with space/file one.txt", expected["new-link"]);
        Assert.StartsWith("exec ", expected["script.sh"], StringComparison.Ordinal);
        Assert.StartsWith("file ", expected["tool.sh"], StringComparison.Ordinal);
        Assert.Equal("file ", expected["new-empty.txt"]);
        Assert.Equal("file " + Convert.ToHexString(Encoding.UTF8.GetBytes("line one\r\nline 2\r\nline three\r\n")), expected["crlf.txt"]);
        Assert.Contains("ünïcödé/新しい ファイル.txt", expected.Keys);
        Assert.Contains("moved here/renamed.txt", expected.Keys);
        Assert.DoesNotContain("to-delete.txt", expected.Keys);
        Assert.DoesNotContain("to-rename.txt", expected.Keys);
    }

    [Fact]
    public async Task No_change_gives_an_empty_patch()
    {
        var source = await SourceAsync();
        var (_, workspace) = await CheckOutAsync(source.Path);
        await using var _ = workspace;

        Assert.Equal("", await workspace.CreatePatchAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Publishing_writes_one_commit_on_a_job_branch_and_a_retry_moves_it()
    {
        var source = await SourceAsync();
        source.Write("README.md", "uncommitted edit\n");
        var head = (await source.GitAsync("rev-parse", "HEAD")).Trim();
        var (resolved, workspace) = await CheckOutAsync(source.Path);
        await using var _ = workspace;
        ChangeEverything(workspace.RepositoryPath);
        var patch = await workspace.CreatePatchAsync(CancellationToken.None);
        var request = new PublishRequest("01jobjobjobjobjobjobjobjob", resolved, workspace.RepositoryPath, patch, "Tidy everything", "Because.", await workspace.ListChangesAsync(CancellationToken.None));

        var published = await Host.PublishAsync(request, CancellationToken.None);
        var again = await Host.PublishAsync(request with { Title = "Tidy everything, again" }, CancellationToken.None);

        Assert.Equal("codybatch/01jobjobjobjobjobjobjobjob", published.Branch);
        Assert.Null(published.PullRequestUrl);
        Assert.Equal(published, again);
        var branch = "refs/heads/codybatch/01jobjobjobjobjobjobjobjob";
        Assert.Equal("1", (await source.GitAsync("rev-list", "--count", $"{head}..{branch}")).Trim());
        Assert.Equal(head, (await source.GitAsync("rev-parse", $"{branch}^")).Trim());
        Assert.Equal("Batch Bot <bot@example.test>|Tidy everything, again", (await source.GitAsync("log", "-1", "--format=%an <%ae>|%s", branch)).Trim());
        Assert.Equal(head, (await source.GitAsync("rev-parse", "HEAD")).Trim());
        Assert.Equal("main", (await source.GitAsync("symbolic-ref", "--short", "HEAD")).Trim());
        Assert.Equal("uncommitted edit\n", File.ReadAllText(Path.Combine(source.Path, "README.md")));

        var publishedTree = await CloneAsync(source.Path, "branch", "codybatch/01jobjobjobjobjobjobjobjob");
        Assert.Equal(TestRepository.Snapshot(workspace.RepositoryPath), TestRepository.Snapshot(publishedTree));
    }

    private async Task<string> CloneAsync(string from, string name, string? branch = null)
    {
        var target = Root.Combine(name);
        // Cody Batch's git allows no transport; a test that clones allows the local one.
        string[] arguments = branch is null
            ? ["-c", "protocol.file.allow=always", "clone", "--quiet", from, target]
            : ["-c", "protocol.file.allow=always", "clone", "--quiet", "--branch", branch, from, target];
        await GitCommandLine.RunAsync(Root.Path, arguments, CancellationToken.None);
        return target;
    }
}
