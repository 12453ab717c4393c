namespace CodyBatch.LocalGit.Tests;

/// <summary>A local repository that carries hostile links: its snapshot keeps them as links and nothing outside is touched.</summary>
public sealed class HostileRepositoryTests : LocalGitFixture
{
    private readonly HostileLinks _hostile = new();

    protected override void Dispose(bool disposing)
    {
        _hostile.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public async Task Links_that_point_outside_are_kept_as_links_and_never_followed()
    {
        var repository = await TestRepository.InitAsync(Root.Combine("app"));
        repository.Write("a.txt", "a\n");
        _hostile.PlantIn(repository.Path);
        await repository.CommitAsync();

        var (_, workspace) = await CheckOutAsync(repository.Path);
        await using var _ = workspace;

        foreach (var (path, target) in _hostile.Links)
        {
            Assert.Equal(target, new FileInfo(Path.Combine(workspace.RepositoryPath, path)).LinkTarget);
        }

        Assert.Equal("", await workspace.CreatePatchAsync(CancellationToken.None));
        _hostile.AssertUntouched();
    }

    [Fact]
    public async Task A_crafted_tree_with_a_file_beneath_a_link_writes_nothing_outside()
    {
        // A tree git itself would never make: "abs" is a link to the victim and also a folder holding planted.txt.
        var repository = await TestRepository.InitAsync(Root.Combine("crafted"));
        var blob = (await Git(repository, "planted\n", "hash-object", "-w", "--stdin")).Trim();
        var link = (await Git(repository, _hostile.Victim, "hash-object", "-w", "--stdin")).Trim();
        var inner = (await Git(repository, $"100644 blob {blob}\tplanted.txt\n", "mktree")).Trim();
        var tree = (await Git(repository, $"120000 blob {link}\tabs\n040000 tree {inner}\tabs\n", "mktree")).Trim();
        var commit = (await repository.GitAsync("commit-tree", tree, "-m", "crafted")).Trim();
        await repository.GitAsync("update-ref", "refs/heads/main", commit);

        try
        {
            var (_, workspace) = await CheckOutAsync(repository.Path);
            await workspace.DisposeAsync();
        }
        catch (RunFailedException)
        {
            // Refusing the snapshot is as good as writing it without the file beneath the link.
        }

        _hostile.AssertUntouched();
    }

    private static async Task<string> Git(TestRepository repository, string input, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = repository.Path, RedirectStandardInput = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
