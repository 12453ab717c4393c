namespace CodyBatch.Claude.Tests;

/// <summary>
/// Every agent tool against a workspace that carries hostile links to a victim folder in the host's
/// temporary folder: nothing there is read, created, changed, deleted or moved, and the result says why.
/// </summary>
public sealed class ConfinementTests : IAsyncLifetime
{
    private readonly TempDirectory _root = new("codybatch-confine");
    private readonly HostileLinks _hostile = new();
    private Workspace _workspace = null!;
    private TextEditorTool _editor = null!;
    private SearchCodeTool _search = null!;
    private FindFilesTool _find = null!;
    private ReplaceAllTool _replace = null!;
    private MovePathTool _move = null!;
    private DeletePathTool _delete = null!;

    public async Task InitializeAsync()
    {
        _workspace = TestWorkspace.Create(_root.Path);
        TestRepository.At(_workspace.RepositoryPath)
            .Write("src/app.txt", "hello\n")
            .Write("docs/guide.md", "# Guide\n")
            .Symlink("guide.md", "docs/guide.md")
            .Symlink("README.md", Path.Combine(_hostile.Victim, "secret.txt"))
            .Symlink("AGENTS.md", "top" + Path.Combine(_hostile.Victim, "secret.txt"));
        _hostile.PlantIn(_workspace.RepositoryPath);
        await _workspace.BaselineAsync(CancellationToken.None);
        var paths = new RepositoryPaths(_workspace.RepositoryPath);
        _editor = new TextEditorTool(paths, 1 << 20, 20_000);
        _search = new SearchCodeTool(paths, _workspace, 1 << 20, 100, 20_000);
        _find = new FindFilesTool(paths, _workspace, 100);
        _replace = new ReplaceAllTool(paths, _workspace, 1 << 20, 100);
        _move = new MovePathTool(paths);
        _delete = new DeletePathTool(paths);
    }

    public async Task DisposeAsync()
    {
        await _workspace.DisposeAsync();
        _hostile.Dispose();
        _root.Dispose();
    }

    private string Edit(string command, string path, JsonObject? more = null) => _editor.Call(command, path, more);

    private string Refused(Func<string> call)
    {
        var message = Assert.Throws<ToolException>(call).Message;
        Assert.DoesNotContain(_hostile.Secret, message, StringComparison.Ordinal);
        return message;
    }

    private async Task<string> RefusedAsync(Func<Task<string>> call)
    {
        var message = (await Assert.ThrowsAsync<ToolException>(call)).Message;
        Assert.DoesNotContain(_hostile.Secret, message, StringComparison.Ordinal);
        return message;
    }

    private static void SaysOutside(string message) =>
        Assert.Matches("outside the repository|symbolic link", message);

    [Theory]
    [MemberData(nameof(HostileLinks.RouteNames), MemberType = typeof(HostileLinks))]
    public void The_editor_reads_and_writes_nothing_through_a_link(string route)
    {
        var via = "/repo/" + _hostile.Route(route);

        SaysOutside(Refused(() => Edit("view", via + "/secret.txt")));
        SaysOutside(Refused(() => Edit("view", via)));
        SaysOutside(Refused(() => Edit("view", via + "/dir")));
        SaysOutside(Refused(() => Edit("create", via + "/planted.txt", new JsonObject { ["file_text"] = "planted" })));
        SaysOutside(Refused(() => Edit("create", via + "/dir/new/planted.txt", new JsonObject { ["file_text"] = "planted" })));
        SaysOutside(Refused(() => Edit("create", via + "/secret.txt", new JsonObject { ["file_text"] = "overwritten" })));
        SaysOutside(Refused(() => Edit("str_replace", via + "/secret.txt", new JsonObject { ["old_str"] = "VICTIM", ["new_str"] = "owned" })));
        SaysOutside(Refused(() => Edit("insert", via + "/secret.txt", new JsonObject { ["insert_line"] = 0, ["insert_text"] = "owned" })));

        _hostile.AssertUntouched();
    }

    [Theory]
    [MemberData(nameof(HostileLinks.RouteNames), MemberType = typeof(HostileLinks))]
    public void Delete_and_move_touch_nothing_through_a_link(string route)
    {
        var via = "/repo/" + _hostile.Route(route);

        SaysOutside(Refused(() => _delete.Execute(new JsonObject { ["path"] = via + "/secret.txt" })));
        SaysOutside(Refused(() => _delete.Execute(new JsonObject { ["path"] = via + "/dir" })));
        SaysOutside(Refused(() => _move.Execute(new JsonObject { ["from"] = via + "/secret.txt", ["to"] = "/repo/stolen.txt" })));
        SaysOutside(Refused(() => _move.Execute(new JsonObject { ["from"] = via + "/dir", ["to"] = "/repo/stolen" })));
        SaysOutside(Refused(() => _move.Execute(new JsonObject { ["from"] = "/repo/src/app.txt", ["to"] = via + "/planted.txt" })));
        SaysOutside(Refused(() => _move.Execute(new JsonObject { ["from"] = "/repo/src", ["to"] = via + "/dir/planted" })));

        _hostile.AssertUntouched();
        Assert.False(File.Exists(Path.Combine(_workspace.RepositoryPath, "stolen.txt")));
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(_workspace.RepositoryPath, "src", "app.txt")));
    }

    [Theory]
    [MemberData(nameof(HostileLinks.RouteNames), MemberType = typeof(HostileLinks))]
    public async Task Search_and_replace_reach_nothing_through_a_link(string route)
    {
        var via = "/repo/" + _hostile.Route(route);

        SaysOutside(await RefusedAsync(() => _search.ExecuteAsync(new JsonObject { ["pattern"] = "VICTIM", ["path"] = via }, CancellationToken.None)));
        SaysOutside(await RefusedAsync(() => _replace.ExecuteAsync(new JsonObject { ["path"] = via + "/secret.txt", ["old_str"] = "VICTIM", ["new_str"] = "owned" }, CancellationToken.None)));
        var everywhere = await _search.ExecuteAsync(new JsonObject { ["pattern"] = "VICTIM" }, CancellationToken.None);
        Assert.DoesNotContain(_hostile.Secret, everywhere, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ToolException>(() => _replace.ExecuteAsync(new JsonObject { ["glob"] = "**", ["old_str"] = "VICTIM", ["new_str"] = "owned" }, CancellationToken.None));
        Assert.DoesNotContain("kept.txt", await _find.ExecuteAsync(new JsonObject { ["pattern"] = "**" }, CancellationToken.None), StringComparison.Ordinal);

        _hostile.AssertUntouched();
    }

    [Fact]
    public async Task The_overview_shows_no_linked_readme_or_instructions_from_outside()
    {
        var overview = RepositoryOverview.Build("octo/app", _workspace.RepositoryPath, await _workspace.ListFilesAsync(CancellationToken.None));

        Assert.DoesNotContain(_hostile.Secret, overview, StringComparison.Ordinal);
        _hostile.AssertUntouched();
    }

    [Fact]
    public void A_link_that_stays_inside_is_followed_by_the_same_confined_walk()
    {
        Assert.Equal("     1\t# Guide\n", Edit("view", "/repo/guide.md"));
        Edit("str_replace", "/repo/guide.md", new JsonObject { ["old_str"] = "# Guide", ["new_str"] = "# The guide" });

        Assert.Equal("# The guide\n", File.ReadAllText(Path.Combine(_workspace.RepositoryPath, "docs", "guide.md")));
        Assert.Equal("docs/guide.md", new FileInfo(Path.Combine(_workspace.RepositoryPath, "guide.md")).LinkTarget);
    }

    [Fact]
    public void Deleting_or_moving_a_link_acts_on_the_link_never_on_what_it_points_to()
    {
        Assert.Equal("Deleted the file /repo/abs.", _delete.Execute(new JsonObject { ["path"] = "/repo/abs" }));
        _move.Execute(new JsonObject { ["from"] = "/repo/dots", ["to"] = "/repo/moved/dots" });
        _delete.Execute(new JsonObject { ["path"] = "/repo/moved" });

        _hostile.AssertUntouched();
        Assert.False(Path.Exists(Path.Combine(_workspace.RepositoryPath, "abs")));
    }

    [Fact]
    public void A_link_swapped_in_after_a_look_cannot_redirect_a_write()
    {
        // The agent looks at a real folder, then swaps a link to the victim into its place and writes "into" it.
        Edit("create", "/repo/work/notes.txt", new JsonObject { ["file_text"] = "notes\n" });
        Assert.Equal("     1\tnotes\n", Edit("view", "/repo/work/notes.txt"));
        _move.Execute(new JsonObject { ["from"] = "/repo/work", ["to"] = "/repo/work-old" });
        _move.Execute(new JsonObject { ["from"] = "/repo/abs", ["to"] = "/repo/work" });

        SaysOutside(Refused(() => Edit("create", "/repo/work/notes.txt", new JsonObject { ["file_text"] = "planted" })));
        SaysOutside(Refused(() => Edit("view", "/repo/work/secret.txt")));
        SaysOutside(Refused(() => _delete.Execute(new JsonObject { ["path"] = "/repo/work/secret.txt" })));

        _hostile.AssertUntouched();
    }

    [Fact]
    public async Task Special_files_are_refused_quickly_with_a_reason()
    {
        TestRepository.At(_workspace.RepositoryPath).Symlink("zero.txt", "/dev/zero");
        var fifo = Path.Combine(_workspace.RepositoryPath, "pipe.txt");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
        }

        SaysOutside(Refused(() => Edit("view", "/repo/zero.txt")));
        Assert.Contains("special file", Refused(() => Edit("view", "/repo/pipe.txt")), StringComparison.Ordinal);
        Assert.Contains("special file", Refused(() => Edit("str_replace", "/repo/pipe.txt", new JsonObject { ["old_str"] = "a", ["new_str"] = "b" })), StringComparison.Ordinal);
        Assert.Contains("special file", Refused(() => Edit("create", "/repo/pipe.txt", new JsonObject { ["file_text"] = "x" })), StringComparison.Ordinal);
        Assert.Contains("special file", await RefusedAsync(() => _replace.ExecuteAsync(new JsonObject { ["path"] = "/repo/pipe.txt", ["old_str"] = "a", ["new_str"] = "b" }, CancellationToken.None)), StringComparison.Ordinal);
        await _search.ExecuteAsync(new JsonObject { ["pattern"] = "anything" }, CancellationToken.None);
        await _replace.ExecuteAsync(new JsonObject { ["glob"] = "**", ["old_str"] = "hello", ["new_str"] = "hi" }, CancellationToken.None);
    }
}
