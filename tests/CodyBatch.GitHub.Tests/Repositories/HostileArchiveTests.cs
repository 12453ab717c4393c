using System.Formats.Tar;
using System.IO.Compression;

namespace CodyBatch.GitHub.Tests.Repositories;

/// <summary>Archives built to escape or exhaust the workspace; each is refused and nothing lands outside.</summary>
public sealed class HostileArchiveTests : GitHubFixture
{
    private string _outside = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _outside = Root.Combine("outside");
        Directory.CreateDirectory(_outside);
    }

    private static byte[] Tarball(Action<TarWriter> write)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "octo-app-0123456/"));
            write(tar);
        }

        return output.ToArray();
    }

    private static void File(TarWriter tar, string name, byte[] content) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });

    private async Task<string> RefusedAsync(byte[] tarball)
    {
        Api.Add("octo", "app").With("a.txt", "a").Tarball = tarball;
        var failure = await Assert.ThrowsAsync<RunFailedException>(() => CheckOutAsync("octo/app"));
        Assert.Empty(Directory.GetFileSystemEntries(_outside));
        Assert.StartsWith("The repository snapshot was refused: ", failure.Message, StringComparison.Ordinal);
        return failure.Message;
    }

    [Fact]
    public async Task Path_traversal_is_refused()
    {
        var message = await RefusedAsync(Tarball(tar => File(tar, "octo-app-0123456/../../../outside/evil.txt", [1])));

        Assert.Contains("climbs out of the repository with '..'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Absolute_paths_are_refused()
    {
        var message = await RefusedAsync(Tarball(tar => File(tar, _outside + "/evil.txt", [1])));

        Assert.Contains("has an absolute path", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Symlinks_that_point_outside_are_kept_as_links_and_never_followed()
    {
        using var hostile = new HostileLinks();
        Api.Add("octo", "app").With("a.txt", "a").Tarball = Tarball(tar =>
        {
            File(tar, "octo-app-0123456/a.txt", [97]);
            foreach (var (path, target) in hostile.Links)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, $"octo-app-0123456/{path}") { LinkName = target });
            }
        });

        var (_, workspace) = await CheckOutAsync("octo/app");
        await using var _ = workspace;

        foreach (var (path, target) in hostile.Links)
        {
            Assert.Equal(target, new FileInfo(Path.Combine(workspace.RepositoryPath, path)).LinkTarget);
        }

        hostile.AssertUntouched();
    }

    [Theory]
    [MemberData(nameof(HostileLinks.RouteNames), MemberType = typeof(HostileLinks))]
    public async Task Entries_written_or_hard_linked_through_a_hostile_link_are_refused(string route)
    {
        using var hostile = new HostileLinks();
        void Links(TarWriter tar)
        {
            foreach (var (path, target) in hostile.Links)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, $"octo-app-0123456/{path}") { LinkName = target });
            }
        }

        var via = hostile.Route(route);
        var planted = await RefusedAsync(Tarball(tar =>
        {
            Links(tar);
            File(tar, $"octo-app-0123456/{via}/planted.txt", [1]);
        }));
        var overwritten = await RefusedAsync(Tarball(tar =>
        {
            Links(tar);
            File(tar, $"octo-app-0123456/{via}/secret.txt", [1]);
        }));
        var stolen = await RefusedAsync(Tarball(tar =>
        {
            Links(tar);
            tar.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "octo-app-0123456/stolen") { LinkName = $"octo-app-0123456/{via}/secret.txt" });
        }));

        Assert.Contains("through the symbolic link", planted, StringComparison.Ordinal);
        Assert.Contains("through the symbolic link", overwritten, StringComparison.Ordinal);
        Assert.Contains("the hard link stolen points outside the repository", stolen, StringComparison.Ordinal);
        Assert.DoesNotContain(hostile.Secret, stolen, StringComparison.Ordinal);
        hostile.AssertUntouched();
    }

    [Fact]
    public async Task Writing_through_a_symlink_inside_the_tree_is_refused()
    {
        var message = await RefusedAsync(Tarball(tar =>
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "octo-app-0123456/real/"));
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "octo-app-0123456/alias") { LinkName = "real" });
            File(tar, "octo-app-0123456/alias/file.txt", [1]);
        }));

        Assert.Contains("would be written through the symbolic link alias", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hard_link_to_a_file_outside_is_refused()
    {
        System.IO.File.WriteAllText(Path.Combine(_outside, "secret.txt"), "secret");
        Api.Add("octo", "app").With("a.txt", "a").Tarball = Tarball(tar =>
            tar.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "octo-app-0123456/stolen") { LinkName = Path.Combine(_outside, "secret.txt") }));

        var failure = await Assert.ThrowsAsync<RunFailedException>(() => CheckOutAsync("octo/app"));

        Assert.Contains("has an absolute path", failure.Message, StringComparison.Ordinal);
        Assert.Equal(["secret.txt"], Directory.GetFileSystemEntries(_outside).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_decompression_bomb_stops_at_the_total_limit()
    {
        Options.MaxArchiveBytes = 4L << 20;
        var zeros = new byte[3 << 20];

        var message = await RefusedAsync(Tarball(tar =>
        {
            File(tar, "octo-app-0123456/a.bin", zeros);
            File(tar, "octo-app-0123456/b.bin", zeros);
        }));

        Assert.Contains($"it unpacks to more than {4L << 20:N0} bytes (CodyBatch:GitHub:MaxArchiveBytes)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_huge_single_file_is_refused_with_its_limit()
    {
        Options.MaxArchiveFileBytes = 1L << 20;

        var message = await RefusedAsync(Tarball(tar => File(tar, "octo-app-0123456/big.bin", new byte[2 << 20])));

        Assert.Contains("big.bin is 2,097,152 bytes, over the largest file allowed (1,048,576 bytes, CodyBatch:GitHub:MaxArchiveFileBytes)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_entries_are_refused_with_their_limit()
    {
        Options.MaxArchiveEntries = 10;

        var message = await RefusedAsync(Tarball(tar =>
        {
            for (var i = 0; i < 20; i++)
            {
                File(tar, $"octo-app-0123456/f{i}.txt", [1]);
            }
        }));

        Assert.Contains("it has more than 10 entries (CodyBatch:GitHub:MaxArchiveEntries)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Links_inside_the_tree_are_kept_as_links()
    {
        Api.Add("octo", "app").With("a.txt", "a").Tarball = Tarball(tar =>
        {
            File(tar, "octo-app-0123456/docs/guide.md", [65]);
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "octo-app-0123456/guide.md") { LinkName = "docs/guide.md" });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "octo-app-0123456/copy.md") { LinkName = "octo-app-0123456/docs/guide.md" });
        });

        var (_, workspace) = await CheckOutAsync("octo/app");
        await using var _ = workspace;

        Assert.Equal("docs/guide.md", new FileInfo(Path.Combine(workspace.RepositoryPath, "guide.md")).LinkTarget);
        Assert.Equal("A", System.IO.File.ReadAllText(Path.Combine(workspace.RepositoryPath, "copy.md")));
        Assert.Null(new FileInfo(Path.Combine(workspace.RepositoryPath, "copy.md")).LinkTarget);
    }
}
