using CodyBatch.Core.Workspaces;

namespace CodyBatch.Core.Tests.Checks;

public sealed class CheckTreeTests : IDisposable
{
    private readonly TempDirectory _root = new("codybatch-tree");

    [Fact]
    public async Task Updates_follow_the_workspace_and_never_write_through_links_a_check_left()
    {
        var source = _root.Combine("repo");
        var outside = _root.Combine("outside");
        Directory.CreateDirectory(outside);
        TestRepository.At(source).Write("a.txt", "a\n").Write("src/b.txt", "b\n").Write("run.sh", "#!/bin/sh\n").Executable("run.sh");
        var tree = await CheckTree.CreateAsync(source, _root.Combine("checks"), CancellationToken.None);
        Assert.Equal("b\n", await File.ReadAllTextAsync(Path.Combine(tree.Path, "src/b.txt")));
        Assert.True(File.GetUnixFileMode(Path.Combine(tree.Path, "run.sh")).HasFlag(UnixFileMode.UserExecute));

        // What a hostile check could leave in its tree: links pointing out of it.
        Directory.Delete(Path.Combine(tree.Path, "src"), recursive: true);
        File.CreateSymbolicLink(Path.Combine(tree.Path, "src"), outside);
        File.CreateSymbolicLink(Path.Combine(tree.Path, "c.txt"), Path.Combine(outside, "c.txt"));
        await File.WriteAllTextAsync(Path.Combine(tree.Path, "cache.bin"), "kept");

        TestRepository.At(source).Write("src/b.txt", "b changed\n").Write("c.txt", "c\n");
        File.Delete(Path.Combine(source, "a.txt"));
        tree.Update([new WorkspaceChange("a.txt", true, null, false), new WorkspaceChange("c.txt", false, "100644", false), new WorkspaceChange("src/b.txt", false, "100644", false)]);

        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Null(new DirectoryInfo(Path.Combine(tree.Path, "src")).LinkTarget);
        Assert.Equal("b changed\n", await File.ReadAllTextAsync(Path.Combine(tree.Path, "src/b.txt")));
        Assert.Null(new FileInfo(Path.Combine(tree.Path, "c.txt")).LinkTarget);
        Assert.Equal("c\n", await File.ReadAllTextAsync(Path.Combine(tree.Path, "c.txt")));
        Assert.False(File.Exists(Path.Combine(tree.Path, "a.txt")));
        Assert.Equal("kept", await File.ReadAllTextAsync(Path.Combine(tree.Path, "cache.bin")));

        // The agent undoes its edit of b.txt: the next update puts the baseline's content back.
        TestRepository.At(source).Write("src/b.txt", "b\n");
        tree.Update([new WorkspaceChange("a.txt", true, null, false), new WorkspaceChange("c.txt", false, "100644", false)]);

        Assert.Equal("b\n", await File.ReadAllTextAsync(Path.Combine(tree.Path, "src/b.txt")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }

    [Fact]
    public async Task A_file_changed_within_the_same_second_looks_newer_to_build_tools()
    {
        var source = _root.Combine("repo");
        TestRepository.At(source).Write("calc.py", "return a - b\n");
        var tree = await CheckTree.CreateAsync(source, _root.Combine("checks"), CancellationToken.None);
        var before = File.GetLastWriteTimeUtc(Path.Combine(tree.Path, "calc.py"));

        // Same size, written at once: only the modification time can tell caches it changed.
        TestRepository.At(source).Write("calc.py", "return a + b\n");
        tree.Update([new WorkspaceChange("calc.py", false, "100644", false)]);

        var after = File.GetLastWriteTimeUtc(Path.Combine(tree.Path, "calc.py"));
        Assert.True(Math.Floor((after - DateTime.UnixEpoch).TotalSeconds) > Math.Floor((before - DateTime.UnixEpoch).TotalSeconds), $"{before:O} → {after:O}");
        Assert.Equal("return a + b\n", await File.ReadAllTextAsync(Path.Combine(tree.Path, "calc.py")));
    }

    [Fact]
    public async Task Hostile_links_are_copied_as_links_and_special_files_are_left_out()
    {
        using var hostile = new HostileLinks();
        var source = _root.Combine("repo");
        TestRepository.At(source).Write("a.txt", "a\n");
        hostile.PlantIn(source);
        await Fifo.MakeAsync(Path.Combine(source, "pipe"));

        var tree = await CheckTree.CreateAsync(source, _root.Combine("checks"), CancellationToken.None);

        foreach (var (path, target) in hostile.Links)
        {
            Assert.Equal(target, new FileInfo(Path.Combine(tree.Path, path)).LinkTarget);
        }

        Assert.False(Path.Exists(Path.Combine(tree.Path, "pipe")));
        Assert.Equal("a\n", await File.ReadAllTextAsync(Path.Combine(tree.Path, "a.txt")));

        // A change listed beneath a link (in the workspace and in the tree) copies nothing through either.
        File.CreateSymbolicLink(Path.Combine(source, "top2"), "x/y/../../..");
        tree.Update([new WorkspaceChange("top2", false, "120000", false), new WorkspaceChange($"top{hostile.Victim}/planted.txt", false, "100644", false)]);

        Assert.Equal("x/y/../../..", new FileInfo(Path.Combine(tree.Path, "top2")).LinkTarget);
        Assert.Null(new DirectoryInfo(Path.Combine(tree.Path, "top")).LinkTarget);
        hostile.AssertUntouched();
    }

    public void Dispose() => _root.Dispose();
}
