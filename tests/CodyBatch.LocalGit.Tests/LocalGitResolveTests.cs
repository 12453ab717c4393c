using Microsoft.Extensions.Options;

namespace CodyBatch.LocalGit.Tests;

public sealed class LocalGitResolveTests : LocalGitFixture
{
    [Fact]
    public async Task A_reference_after_hash_pins_the_snapshot_to_that_branch()
    {
        var source = await TestRepository.InitAsync(Root.Combine("source"));
        source.Write("a.txt", "main\n");
        await source.CommitAsync();
        await source.GitAsync("checkout", "--quiet", "-b", "release/1");
        source.Write("a.txt", "release\n");
        var release = await source.CommitAsync();
        await source.GitAsync("checkout", "--quiet", "main");

        var (resolved, workspace) = await CheckOutAsync($"{source.Path}#release/1");
        await using var _ = workspace;

        Assert.Equal(release, resolved.CommitSha);
        Assert.Equal("release/1", resolved.DefaultBranch);
        Assert.Equal("release\n", File.ReadAllText(Path.Combine(workspace.RepositoryPath, "a.txt")));
    }

    [Fact]
    public async Task Folders_that_are_not_usable_repositories_say_why()
    {
        Directory.CreateDirectory(Root.Combine("plain"));
        var empty = await TestRepository.InitAsync(Root.Combine("empty"));
        var source = await TestRepository.InitAsync(Root.Combine("source"));
        source.Write("a.txt", "a\n");
        await source.CommitAsync();

        Assert.Equal($"{Root.Combine("plain")} is not a git repository.", (await Fails(Root.Combine("plain"))).Message);
        Assert.Equal($"{empty.Path} has no commits yet; commit something first.", (await Fails(empty.Path)).Message);
        Assert.Equal($"{source.Path} has no branch, tag or commit \"nope\".", (await Fails(source.Path + "#nope")).Message);
        Assert.Equal($"There is no folder {Root.Combine("gone")}.", (await Fails(Root.Combine("gone"))).Message);
    }

    [Fact]
    public async Task Publishing_refuses_to_move_a_branch_the_user_has_checked_out()
    {
        var source = await TestRepository.InitAsync(Root.Combine("source"));
        source.Write("a.txt", "a\n");
        await source.CommitAsync();
        var (resolved, workspace) = await CheckOutAsync(source.Path);
        await using var _ = workspace;
        await source.GitAsync("checkout", "--quiet", "-b", "codybatch/01jobjobjobjobjobjobjobjob");
        TestRepository.At(workspace.RepositoryPath).Write("a.txt", "b\n");
        var patch = await workspace.CreatePatchAsync(CancellationToken.None);

        var failure = await Assert.ThrowsAsync<RunFailedException>(() => Host.PublishAsync(
            new PublishRequest("01jobjobjobjobjobjobjobjob", resolved, workspace.RepositoryPath, patch, "t", "b", []), CancellationToken.None));

        Assert.Contains("is checked out in", failure.Message, StringComparison.Ordinal);
    }

    private Task<RunFailedException> Fails(string source) =>
        Assert.ThrowsAsync<RunFailedException>(() => Host.ResolveAsync(source, CancellationToken.None));
}
