namespace CodyBatch.LocalGit.Tests;

public sealed class WorkspaceLimitTests : LocalGitFixture
{
    private async Task<TestRepository> SourceAsync()
    {
        var source = await TestRepository.InitAsync(Root.Combine("source"));
        source.Write("a.txt", "alpha\nbeta\ngamma\n");
        await source.CommitAsync();
        return source;
    }

    [Fact]
    public async Task A_file_over_the_file_limit_fails_the_patch_and_names_the_limit()
    {
        var source = await SourceAsync();
        var (_, workspace) = await CheckOutAsync(source.Path, Factory(new WorkspaceOptions { MaxFileBytes = 1024 }));
        await using var _ = workspace;
        TestRepository.At(workspace.RepositoryPath).Write("big/data.txt", new string('x', 2048));

        var failure = await Assert.ThrowsAsync<RunFailedException>(() => workspace.CreatePatchAsync(CancellationToken.None));

        Assert.Equal("big/data.txt is 2,048 bytes, over the largest file a run may write (1,024 bytes, CodyBatch:Workspace:MaxFileBytes).", failure.Message);
    }

    [Fact]
    public async Task A_patch_over_the_patch_limit_fails_and_names_the_limit()
    {
        var source = await SourceAsync();
        var (_, workspace) = await CheckOutAsync(source.Path, Factory(new WorkspaceOptions { MaxPatchBytes = 1024 }));
        await using var _ = workspace;
        for (var i = 0; i < 20; i++)
        {
            TestRepository.At(workspace.RepositoryPath).Write($"file-{i}.txt", $"{new string('y', 100)}\n");
        }

        var failure = await Assert.ThrowsAsync<RunFailedException>(() => workspace.CreatePatchAsync(CancellationToken.None));

        Assert.Contains("over the largest patch a run may produce (1,024 bytes, CodyBatch:Workspace:MaxPatchBytes)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_patch_that_does_not_apply_to_the_snapshot_is_refused()
    {
        var source = await SourceAsync();
        var (_, workspace) = await CheckOutAsync(source.Path);
        await using var _ = workspace;
        TestRepository.At(workspace.RepositoryPath).Write("a.txt", "alpha\nBETA\ngamma\n");
        var patch = await workspace.CreatePatchAsync(CancellationToken.None);

        var tampered = patch.Replace(" alpha\n", " ALPHA\n", StringComparison.Ordinal);
        var failure = await Assert.ThrowsAsync<RunFailedException>(() => workspace.CheckAppliesAsync(tampered, CancellationToken.None));

        Assert.StartsWith("The patch does not apply to the snapshot it was made from, so it was not stored (git apply --check: error: patch failed: a.txt:1", failure.Message, StringComparison.Ordinal);
        await workspace.CheckAppliesAsync(patch, CancellationToken.None);
    }

    [Fact]
    public async Task A_workspace_is_removed_when_done_unless_kept()
    {
        var source = await SourceAsync();
        var (_, removed) = await CheckOutAsync(source.Path);
        var (_, kept) = await CheckOutAsync(source.Path);

        kept.Keep();
        await removed.DisposeAsync();
        await kept.DisposeAsync();

        Assert.False(Directory.Exists(removed.RootPath));
        Assert.True(Directory.Exists(kept.RepositoryPath));
        Assert.True(File.Exists(Path.Combine(kept.RepositoryPath, "a.txt")));
    }
}
