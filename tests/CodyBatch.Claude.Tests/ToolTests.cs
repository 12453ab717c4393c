namespace CodyBatch.Claude.Tests;

public sealed class ToolTests : IAsyncLifetime
{
    private readonly TempDirectory _root = new("codybatch-tools");
    private Workspace _workspace = null!;
    private TextEditorTool _editor = null!;
    private SearchCodeTool _search = null!;

    public async Task InitializeAsync()
    {
        _workspace = TestWorkspace.Create(_root.Path);
        TestRepository.At(_workspace.RepositoryPath)
            .Write("a.txt", "one\ntwo\nthree\ntwo\n")
            .Write("src/app.cs", "class App\n{\n    int Value = 1;\n}\n")
            .Write("src/deep/er/file.cs", "// TODO: deep\n")
            .Write(".gitignore", "build/\n*.log\n")
            .Write("build/out.cs", "// TODO: ignored\n")
            .Write("debug.log", "TODO: ignored\n")
            .Write("image.png", [0x89, 0x50, 0, 0, 0x54, 0x4f, 0x44, 0x4f])
            .Write("node_modules/lib/index.js", "x")
            .Write(".hidden/secret.txt", "x")
            .Write("big.txt", string.Concat(Enumerable.Range(1, 5000).Select(i => $"line number {i} of a long file\n")));
        await _workspace.BaselineAsync(CancellationToken.None);
        var paths = new RepositoryPaths(_workspace.RepositoryPath);
        _editor = new TextEditorTool(paths, 1 << 20, 2_000);
        _search = new SearchCodeTool(paths, _workspace, 1 << 20, 3, 10_000);
    }

    public async Task DisposeAsync()
    {
        await _workspace.DisposeAsync();
        _root.Dispose();
    }

    private string Edit(string command, string path, JsonObject? more = null) => _editor.Call(command, path, more);

    private string Read(string path) => File.ReadAllText(Path.Combine(_workspace.RepositoryPath, path));

    [Fact]
    public void View_numbers_lines_and_honours_view_range()
    {
        Assert.Equal("     1\tone\n     2\ttwo\n     3\tthree\n     4\ttwo\n", Edit("view", "/repo/a.txt"));
        Assert.Equal("     2\ttwo\n     3\tthree\n", Edit("view", "a.txt", new JsonObject { ["view_range"] = new JsonArray(2, 3) }));
        Assert.Equal("     3\tthree\n     4\ttwo\n", Edit("view", "/repo/a.txt", new JsonObject { ["view_range"] = new JsonArray(3, -1) }));
        Assert.Contains("is not within the file's 4 lines", Assert.Throws<ToolException>(() => Edit("view", "/repo/a.txt", new JsonObject { ["view_range"] = new JsonArray(3, 9) })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Large_files_are_cut_with_a_note_on_how_to_see_the_rest()
    {
        var text = Edit("view", "/repo/big.txt");

        Assert.True(text.Length <= 2_200);
        Assert.Matches(@"\[The output stops at line \d+ of 5000; view the rest with view_range, e\.g\. \[\d+, \d+\]\.\]", text);
    }

    [Fact]
    public void Directories_list_two_levels_without_hidden_items_or_node_modules()
    {
        var text = Edit("view", "/repo");

        Assert.Contains("/repo/src/\n", text, StringComparison.Ordinal);
        Assert.Contains("/repo/src/deep/\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/repo/src/deep/er/", text, StringComparison.Ordinal);
        Assert.DoesNotContain("node_modules", text.Split('\n', 2)[1], StringComparison.Ordinal);
        Assert.DoesNotContain(".hidden", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Str_replace_needs_exactly_one_match()
    {
        var none = Assert.Throws<ToolException>(() => Edit("str_replace", "/repo/a.txt", new JsonObject { ["old_str"] = "four", ["new_str"] = "4" }));
        var many = Assert.Throws<ToolException>(() => Edit("str_replace", "/repo/a.txt", new JsonObject { ["old_str"] = "two", ["new_str"] = "2" }));
        var done = Edit("str_replace", "/repo/a.txt", new JsonObject { ["old_str"] = "three\ntwo", ["new_str"] = "three\nTWO" });

        Assert.Equal("No replacement was performed: old_str did not appear verbatim in /repo/a.txt.", none.Message);
        Assert.Equal("No replacement was performed: old_str occurs 2 times in /repo/a.txt, at lines 2, 4. Include more surrounding text so it is unique.", many.Message);
        Assert.StartsWith("The file /repo/a.txt has been edited.", done, StringComparison.Ordinal);
        Assert.Contains("     4\tTWO\n", done, StringComparison.Ordinal);
        Assert.Equal("one\ntwo\nthree\nTWO\n", Read("a.txt"));
    }

    [Fact]
    public void Insert_puts_text_after_the_given_line_and_create_makes_folders()
    {
        Edit("insert", "/repo/a.txt", new JsonObject { ["insert_line"] = 0, ["insert_text"] = "zero" });
        Edit("insert", "/repo/a.txt", new JsonObject { ["insert_line"] = 5, ["insert_text"] = "five\n" });
        var created = Edit("create", "/repo/new/dir/file.md", new JsonObject { ["file_text"] = "# New\n" });

        Assert.Equal("zero\none\ntwo\nthree\ntwo\nfive\n", Read("a.txt"));
        Assert.Equal("File created at /repo/new/dir/file.md.", created);
        Assert.Equal("# New\n", Read("new/dir/file.md"));
        Assert.Contains("insert_line 99 is not within", Assert.Throws<ToolException>(() => Edit("insert", "/repo/a.txt", new JsonObject { ["insert_line"] = 99, ["insert_text"] = "x" })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_and_missing_files_are_refused_with_a_reason()
    {
        Assert.Equal("/repo/image.png is a binary file; it cannot be shown or edited as text.", Assert.Throws<ToolException>(() => Edit("view", "/repo/image.png")).Message);
        Assert.Equal("/repo/nope.txt does not exist.", Assert.Throws<ToolException>(() => Edit("view", "/repo/nope.txt")).Message);
    }

    [Fact]
    public async Task Search_honours_gitignore_skips_binaries_and_caps_matches()
    {
        var todo = await _search.ExecuteAsync(new JsonObject { ["pattern"] = "TODO" }, CancellationToken.None);
        var scoped = await _search.ExecuteAsync(new JsonObject { ["pattern"] = "Value|class", ["path"] = "/repo/src", ["glob"] = "*.cs" }, CancellationToken.None);
        var capped = await _search.ExecuteAsync(new JsonObject { ["pattern"] = "line number" }, CancellationToken.None);
        var none = await _search.ExecuteAsync(new JsonObject { ["pattern"] = "nothing-like-this" }, CancellationToken.None);

        Assert.Equal("/repo/src/deep/er/file.cs:1: // TODO: deep\n", todo);
        Assert.Equal("/repo/src/app.cs:1: class App\n/repo/src/app.cs:3:     int Value = 1;\n", scoped);
        Assert.Equal(4, capped.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.EndsWith("[Only the first 3 matches are shown; narrow the pattern, path or glob to see the rest.]\n", capped, StringComparison.Ordinal);
        Assert.Equal("No matches for nothing-like-this in /repo.", none);
        Assert.StartsWith("The pattern is not a valid regular expression", (await Assert.ThrowsAsync<ToolException>(() => _search.ExecuteAsync(new JsonObject { ["pattern"] = "(" }, CancellationToken.None))).Message, StringComparison.Ordinal);
    }
}
