using System.Text;
using CodyBatch.Core.Workspaces.Confined;

namespace CodyBatch.Core.Tests.Workspaces;

/// <summary>The confined walk itself: every operation against every hostile link, and what it still allows.</summary>
public sealed class ConfinedDirectoryTests : IDisposable
{
    private readonly TempDirectory _root = new("codybatch-confined");
    private readonly HostileLinks _hostile = new();
    private readonly ConfinedDirectory _inside;
    private readonly ConfinedDirectory _strict;

    public ConfinedDirectoryTests()
    {
        TestRepository.At(_root.Path).Write("docs/guide.md", "guide\n").Symlink("guide.md", "docs/guide.md").Symlink("docs/up", "..");
        _hostile.PlantIn(_root.Path);
        _inside = new ConfinedDirectory(_root.Path, LinkPolicy.FollowInside, "/repo");
        _strict = new ConfinedDirectory(_root.Path, LinkPolicy.Refuse, "/repo");
    }

    public void Dispose()
    {
        _hostile.Dispose();
        _root.Dispose();
    }

    [Theory]
    [MemberData(nameof(HostileLinks.RouteNames), MemberType = typeof(HostileLinks))]
    public void Nothing_is_read_written_listed_deleted_or_moved_through_a_hostile_link(string route)
    {
        var via = _hostile.Route(route);
        foreach (var tree in new[] { _inside, _strict })
        {
            var refusals = new List<ConfinedPathException>
            {
                Assert.Throws<ConfinedPathException>(() => tree.ReadFile($"{via}/secret.txt", 1 << 20)),
                Assert.Throws<ConfinedPathException>(() => tree.List(via)),
                Assert.Throws<ConfinedPathException>(() => tree.WriteFile($"{via}/planted.txt", "x"u8)),
                Assert.Throws<ConfinedPathException>(() => tree.WriteFile($"{via}/secret.txt", "x"u8)),
                Assert.Throws<ConfinedPathException>(() => tree.WriteFile($"{via}/dir/new/planted.txt", "x"u8, createDirectories: true)),
                Assert.Throws<ConfinedPathException>(() => tree.CreateDirectory($"{via}/made")),
                Assert.Throws<ConfinedPathException>(() => tree.CreateSymbolicLink($"{via}/link", "/")),
                Assert.Throws<ConfinedPathException>(() => tree.Delete($"{via}/secret.txt")),
                Assert.Throws<ConfinedPathException>(() => tree.Delete($"{via}/dir")),
                Assert.Throws<ConfinedPathException>(() => tree.Move($"{via}/secret.txt", "stolen.txt")),
                Assert.Throws<ConfinedPathException>(() => tree.Move("docs/guide.md", $"{via}/planted.txt")),
            };

            Assert.All(refusals, e => Assert.Contains(e.Refusal, new[] { ConfinedRefusal.Outside, ConfinedRefusal.Link }));
            Assert.All(refusals, e => Assert.Contains("symbolic link", e.Message, StringComparison.Ordinal));
        }

        _hostile.AssertUntouched();
        Assert.False(File.Exists(_root.Combine("stolen.txt")));
    }

    [Fact]
    public void The_chain_that_looks_inside_is_refused_at_the_link_that_climbs_out()
    {
        var refusal = Assert.Throws<ConfinedPathException>(() => _inside.ReadFile("top/etc/hostname", 1 << 20));

        Assert.Equal(ConfinedRefusal.Outside, refusal.Refusal);
        Assert.Equal("top", refusal.Link);
        Assert.StartsWith("/repo/top/etc/hostname leads outside the repository through the symbolic link /repo/top (to x/y/x/y/", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Links_that_stay_inside_are_followed_only_by_the_lenient_policy()
    {
        Assert.Equal("guide\n", Encoding.UTF8.GetString(_inside.ReadFile("guide.md", 100)!));
        Assert.Equal("guide\n", Encoding.UTF8.GetString(_inside.ReadFile("docs/up/docs/up/guide.md", 100)!));
        Assert.Equal("guide\n", Encoding.UTF8.GetString(_inside.ReadFile("x/y/x/y/docs/guide.md", 100)!));
        Assert.Equal(ConfinedRefusal.Link, Assert.Throws<ConfinedPathException>(() => _strict.ReadFile("guide.md", 100)).Refusal);
        Assert.Equal(ConfinedRefusal.Outside, Assert.Throws<ConfinedPathException>(() => _inside.ReadFile("docs/up/..", 100)).Refusal);
        Assert.Equal(ConfinedRefusal.Outside, Assert.Throws<ConfinedPathException>(() => _inside.ReadFile("../x", 100)).Refusal);
    }

    [Fact]
    public void A_loop_of_links_is_refused()
    {
        TestRepository.At(_root.Path).Symlink("loop-a", "loop-b").Symlink("loop-b", "loop-a");

        Assert.Equal(ConfinedRefusal.TooManyLinks, Assert.Throws<ConfinedPathException>(() => _inside.ReadFile("loop-a", 100)).Refusal);
    }

    [Fact]
    public async Task Special_files_are_never_opened_and_reads_stop_at_the_limit()
    {
        await Fifo.MakeAsync(_root.Combine("pipe"));
        TestRepository.At(_root.Path).Symlink("zero", "/dev/zero").Write("big.bin", new byte[5000]);

        Assert.Equal(ConfinedRefusal.Special, Assert.Throws<ConfinedPathException>(() => _inside.ReadFile("pipe", 100)).Refusal);
        Assert.Equal(ConfinedRefusal.Special, Assert.Throws<ConfinedPathException>(() => _inside.WriteFile("pipe", "x"u8)).Refusal);
        Assert.Equal(ConfinedRefusal.Outside, Assert.Throws<ConfinedPathException>(() => _inside.ReadFile("zero", 100)).Refusal);
        Assert.Null(_inside.ReadFile("big.bin", 4999));
        Assert.Equal(5000, _inside.ReadFile("big.bin", 5000)!.Length);
        Assert.Equal(ConfinedEntryKind.Special, _inside.Stat("pipe")!.Kind);
    }

    [Fact]
    public void Delete_and_move_act_on_links_themselves_and_never_overwrite()
    {
        Assert.Equal(ConfinedEntryKind.SymbolicLink, _inside.Move("abs", "moved/abs"));
        Assert.Equal(_hostile.Victim, new FileInfo(_root.Combine("moved", "abs")).LinkTarget);
        Assert.Equal(1, _inside.Delete("moved"));
        Assert.Equal(ConfinedRefusal.Exists, Assert.Throws<ConfinedPathException>(() => _inside.Move("guide.md", "docs/guide.md")).Refusal);
        Assert.Equal(ConfinedRefusal.Root, Assert.Throws<ConfinedPathException>(() => _inside.Delete("docs/..")).Refusal);
        Assert.Equal(4, _inside.Delete("docs") + 2);

        _hostile.AssertUntouched();
        Assert.Equal("..", new FileInfo(_root.Combine("x", "y")).LinkTarget);
    }
}
