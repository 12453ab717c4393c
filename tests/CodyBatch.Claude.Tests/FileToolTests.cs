using CodyBatch.LocalGit;

namespace CodyBatch.Claude.Tests;

/// <summary>find_files, delete_path, move_path and replace_all on a real baselined workspace.</summary>
public sealed class FileToolTests : IAsyncLifetime
{
    private readonly TempDirectory _root = new("codybatch-filetools");
    private readonly string _outside = Path.Combine(Path.GetTempPath(), $"codybatch-outside-{Guid.NewGuid():N}");
    private Workspace _workspace = null!;
    private FindFilesTool _find = null!;
    private DeletePathTool _delete = null!;
    private MovePathTool _move = null!;
    private ReplaceAllTool _replace = null!;

    public async Task InitializeAsync()
    {
        _workspace = TestWorkspace.Create(_root.Path);
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "secret.txt"), "Widget outside\n");
        TestRepository.At(_workspace.RepositoryPath)
            .Write("src/Widget.cs", "class Widget { Widget Make() => new Widget(); }\n")
            .Write("src/WidgetTests.cs", "// Widget tests\nvar w = new Widget();\n")
            .Write("src/deep/er/Widget.md", "Widget docs\n")
            .Write("config/legacy.ini", "old=1\n")
            .Write("config/legacy/a.ini", "a\n")
            .Write("config/legacy/b.ini", "b\n")
            .Write(".gitignore", "build/\n")
            .Write("build/Widget.cs", "class Widget {}\n")
            .Write("image.png", [0x89, 0x50, 0, 0, 0x57, 0x69, 0x64, 0x67, 0x65, 0x74])
            .Symlink("out", _outside)
            .Symlink("src/link.cs", Path.Combine(_outside, "secret.txt"));
        await _workspace.BaselineAsync(CancellationToken.None);
        var paths = new RepositoryPaths(_workspace.RepositoryPath);
        _find = new FindFilesTool(paths, _workspace, 3);
        _delete = new DeletePathTool(paths);
        _move = new MovePathTool(paths);
        _replace = new ReplaceAllTool(paths, _workspace, 1 << 16, 3);
    }

    public async Task DisposeAsync()
    {
        await _workspace.DisposeAsync();
        Directory.Delete(_outside, recursive: true);
        _root.Dispose();
    }

    private string Full(string relative) => Path.Combine(_workspace.RepositoryPath, relative);

    private string Read(string relative) => File.ReadAllText(Full(relative));

    private Task<string> Find(string pattern) => _find.ExecuteAsync(new JsonObject { ["pattern"] = pattern }, CancellationToken.None);

    private Task<string> Replace(JsonObject input) => _replace.ExecuteAsync(input, CancellationToken.None);

    [Fact]
    public async Task Find_files_matches_names_and_paths_honours_gitignore_and_caps_with_a_note()
    {
        Assert.Equal("/repo/src/Widget.cs\n/repo/src/WidgetTests.cs\n", await Find("Widget*.cs"));
        Assert.Equal("/repo/src/deep/er/Widget.md\n", await Find("src/**/*.md"));
        Assert.Equal("/repo/src/deep/er/Widget.md\n", await Find("/repo/**/Widget.md"));
        Assert.Equal("/repo/config/legacy/a.ini\n/repo/config/legacy/b.ini\n", await Find("config/legacy/*.ini"));
        Assert.Equal("No files match *.rs.", await Find("*.rs"));

        var capped = await Find("**");
        Assert.Equal(4, capped.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Matches(@"\[\d+ files match; only the first 3 are shown\. Narrow the pattern to see the rest\.\]\n$", capped);
        Assert.DoesNotContain("build/", await Find("**/*.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_path_removes_a_file_or_a_directory_and_refuses_the_root_and_missing_paths()
    {
        Assert.Equal("Deleted the file /repo/config/legacy.ini.", _delete.Execute(new JsonObject { ["path"] = "/repo/config/legacy.ini" }));
        Assert.Equal("Deleted the directory /repo/config/legacy and the 2 files in it.", _delete.Execute(new JsonObject { ["path"] = "config/legacy" }));
        Assert.False(File.Exists(Full("config/legacy.ini")));
        Assert.False(Directory.Exists(Full("config/legacy")));

        Assert.StartsWith("The repository's root cannot be deleted", Assert.Throws<ToolException>(() => _delete.Execute(new JsonObject { ["path"] = "/repo" })).Message, StringComparison.Ordinal);
        Assert.Equal("/repo/nope.txt does not exist; nothing was deleted.", Assert.Throws<ToolException>(() => _delete.Execute(new JsonObject { ["path"] = "/repo/nope.txt" })).Message);
        Assert.Equal("delete_path needs \"path\" as a non-empty string.", Assert.Throws<ToolException>(() => _delete.Execute([])).Message);
    }

    [Fact]
    public void Move_path_renames_files_and_directories_makes_folders_and_never_overwrites()
    {
        Assert.Equal("Moved /repo/src/Widget.cs to /repo/src/core/Gadget.cs.", _move.Execute(new JsonObject { ["from"] = "/repo/src/Widget.cs", ["to"] = "/repo/src/core/Gadget.cs" }));
        Assert.Equal("Moved the directory /repo/config/legacy to /repo/config/old.", _move.Execute(new JsonObject { ["from"] = "config/legacy", ["to"] = "config/old" }));
        Assert.False(File.Exists(Full("src/Widget.cs")));
        Assert.StartsWith("class Widget", Read("src/core/Gadget.cs"), StringComparison.Ordinal);
        Assert.Equal("a\n", Read("config/old/a.ini"));

        Assert.StartsWith("/repo/src/WidgetTests.cs already exists; nothing was moved.", Assert.Throws<ToolException>(() => _move.Execute(new JsonObject { ["from"] = "/repo/src/core/Gadget.cs", ["to"] = "/repo/src/WidgetTests.cs" })).Message, StringComparison.Ordinal);
        Assert.Equal("// Widget tests\nvar w = new Widget();\n", Read("src/WidgetTests.cs"));
        Assert.Equal("/repo/src/gone.cs does not exist; nothing was moved.", Assert.Throws<ToolException>(() => _move.Execute(new JsonObject { ["from"] = "/repo/src/gone.cs", ["to"] = "/repo/x.cs" })).Message);
        Assert.Equal("/repo/config cannot be moved into itself (/repo/config/old/inner).", Assert.Throws<ToolException>(() => _move.Execute(new JsonObject { ["from"] = "/repo/config", ["to"] = "/repo/config/old/inner" })).Message);
        Assert.StartsWith("The repository's root cannot be moved", Assert.Throws<ToolException>(() => _move.Execute(new JsonObject { ["from"] = "/repo", ["to"] = "/repo/x" })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replace_all_changes_every_match_in_one_file_and_reports_the_count()
    {
        var report = await Replace(new JsonObject { ["path"] = "/repo/src/Widget.cs", ["old_str"] = "Widget", ["new_str"] = "Gadget" });

        Assert.Equal("Replaced 3 matches in 1 file:\n/repo/src/Widget.cs: 3\n", report);
        Assert.Equal("class Gadget { Gadget Make() => new Gadget(); }\n", Read("src/Widget.cs"));
        Assert.Equal("// Widget tests\nvar w = new Widget();\n", Read("src/WidgetTests.cs"));
    }

    [Fact]
    public async Task Replace_all_across_a_glob_with_a_regular_expression_skips_binaries_and_ignored_files()
    {
        var report = await Replace(new JsonObject { ["glob"] = "**/*", ["old_str"] = @"\bWidget\b(\(\))?", ["new_str"] = "Gadget$1", ["regex"] = true });

        Assert.StartsWith("Replaced 6 matches in 3 files:\n", report, StringComparison.Ordinal);
        Assert.Contains("/repo/src/Widget.cs: 3\n/repo/src/WidgetTests.cs: 2\n/repo/src/deep/er/Widget.md: 1\n", report, StringComparison.Ordinal);
        Assert.Contains("Skipped as binary or too large: /repo/image.png", report, StringComparison.Ordinal);
        Assert.Equal("class Gadget { Gadget Make() => new Gadget(); }\n", Read("src/Widget.cs"));
        Assert.Equal("class Widget {}\n", Read("build/Widget.cs"));
        Assert.Equal("Widget outside\n", File.ReadAllText(Path.Combine(_outside, "secret.txt")));
        Assert.Equal([0x89, 0x50, 0, 0, 0x57, 0x69, 0x64, 0x67, 0x65, 0x74], File.ReadAllBytes(Full("image.png")));
    }

    [Fact]
    public async Task Replace_all_refuses_bad_input_and_too_wide_changes_before_writing_anything()
    {
        async Task<string> Refused(JsonObject input) => (await Assert.ThrowsAsync<ToolException>(() => Replace(input))).Message;

        Assert.Equal("No matches of old_str in /repo/src/Widget.cs; nothing was changed.", await Refused(new JsonObject { ["path"] = "src/Widget.cs", ["old_str"] = "Sprocket", ["new_str"] = "x" }));
        Assert.Equal("replace_all needs either \"path\" (one file) or \"glob\" (many files), not both.", await Refused(new JsonObject { ["path"] = "src/Widget.cs", ["glob"] = "*.cs", ["old_str"] = "a", ["new_str"] = "b" }));
        Assert.Equal("replace_all needs either \"path\" (one file) or \"glob\" (many files), not neither.", await Refused(new JsonObject { ["old_str"] = "a", ["new_str"] = "b" }));
        Assert.StartsWith("old_str is not a valid regular expression", await Refused(new JsonObject { ["path"] = "src/Widget.cs", ["old_str"] = "(", ["new_str"] = "b", ["regex"] = true }), StringComparison.Ordinal);
        Assert.Equal("No files match *.rs; nothing was changed.", await Refused(new JsonObject { ["glob"] = "*.rs", ["old_str"] = "a", ["new_str"] = "b" }));
        Assert.StartsWith("/repo/src is a directory", await Refused(new JsonObject { ["path"] = "/repo/src", ["old_str"] = "a", ["new_str"] = "b" }), StringComparison.Ordinal);
        var narrow = new ReplaceAllTool(new RepositoryPaths(_workspace.RepositoryPath), _workspace, 1 << 16, 2);
        Assert.Equal(
            "Nothing was changed: the replacement would change more than 2 files. Narrow the glob and replace in parts.",
            (await Assert.ThrowsAsync<ToolException>(() => narrow.ExecuteAsync(new JsonObject { ["glob"] = "**/*", ["old_str"] = "Widget", ["new_str"] = "Gadget" }, CancellationToken.None))).Message);
        Assert.Equal(
            "Nothing was changed: /repo/src/Widget.cs would grow over the largest file this run may write (65,536 bytes).",
            await Refused(new JsonObject { ["path"] = "src/Widget.cs", ["old_str"] = "Widget", ["new_str"] = new string('x', 30_000) }));
        Assert.Equal("class Widget { Widget Make() => new Widget(); }\n", Read("src/Widget.cs"));
        Assert.Equal("// Widget tests\nvar w = new Widget();\n", Read("src/WidgetTests.cs"));
    }

    [Theory]
    [InlineData("../../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("/repo/../../x")]
    [InlineData("/repo/out/secret.txt")]
    [InlineData("/repo/src/link.cs/x")]
    public async Task Every_new_tool_refuses_paths_that_leave_the_repository(string path)
    {
        var refusals = new List<string>
        {
            Assert.Throws<ToolException>(() => _delete.Execute(new JsonObject { ["path"] = path })).Message,
            Assert.Throws<ToolException>(() => _move.Execute(new JsonObject { ["from"] = path, ["to"] = "/repo/stolen.txt" })).Message,
            Assert.Throws<ToolException>(() => _move.Execute(new JsonObject { ["from"] = "/repo/src/Widget.cs", ["to"] = path })).Message,
            (await Assert.ThrowsAsync<ToolException>(() => Replace(new JsonObject { ["path"] = path, ["old_str"] = "Widget", ["new_str"] = "x" }))).Message,
        };

        Assert.All(refusals, message => Assert.Contains("outside the repository", message, StringComparison.Ordinal));
        Assert.Equal("Widget outside\n", File.ReadAllText(Path.Combine(_outside, "secret.txt")));
        Assert.True(File.Exists(Full("src/Widget.cs")));
        Assert.False(File.Exists(Full("stolen.txt")));
    }

    [Theory]
    [InlineData("../*")]
    [InlineData("/etc/*")]
    [InlineData("src/../../*")]
    public async Task Globs_that_leave_the_repository_are_refused(string pattern)
    {
        Assert.Contains("outside the repository", (await Assert.ThrowsAsync<ToolException>(() => Find(pattern))).Message, StringComparison.Ordinal);
        Assert.Contains("outside the repository", (await Assert.ThrowsAsync<ToolException>(() => Replace(new JsonObject { ["glob"] = pattern, ["old_str"] = "a", ["new_str"] = "b" }))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Links_out_are_never_followed_by_a_glob_replacement_or_a_delete_of_their_directory()
    {
        await Replace(new JsonObject { ["glob"] = "src/*.cs", ["old_str"] = "Widget", ["new_str"] = "Gadget" });
        _delete.Execute(new JsonObject { ["path"] = "/repo/src" });

        Assert.Equal("Widget outside\n", File.ReadAllText(Path.Combine(_outside, "secret.txt")));
        Assert.False(Directory.Exists(Full("src")));
    }

    [Fact]
    public async Task A_rename_and_a_delete_round_trip_through_the_patch_to_git_apply_on_a_fresh_clone()
    {
        using var scratch = new TempDirectory("codybatch-roundtrip");
        var origin = await TestRepository.InitAsync(Path.Combine(scratch.Path, "origin"));
        origin.Write("lib/old_name.py", string.Concat(Enumerable.Range(1, 40).Select(i => $"line {i} of a module that is renamed\n")))
            .Write("settings/deprecated.cfg", "legacy = true\n")
            .Write("README.md", "# Lib\n");
        await origin.CommitAsync("start");
        var factory = new WorkspaceFactory(Options.Create(new CodyBatchOptions { DataDirectory = scratch.Path }), Options.Create(new WorkspaceOptions()), new GitCommandLine());
        await using var workspace = factory.Create("01roundtriproundtriproundt", "octo/lib", 1);
        foreach (var file in new[] { "lib/old_name.py", "settings/deprecated.cfg", "README.md" })
        {
            TestRepository.At(workspace.RepositoryPath).Write(file, File.ReadAllText(Path.Combine(origin.Path, file)));
        }

        await workspace.BaselineAsync(CancellationToken.None);
        var paths = new RepositoryPaths(workspace.RepositoryPath);
        new MovePathTool(paths).Execute(new JsonObject { ["from"] = "/repo/lib/old_name.py", ["to"] = "/repo/lib/new_name.py" });
        new DeletePathTool(paths).Execute(new JsonObject { ["path"] = "/repo/settings/deprecated.cfg" });

        var patch = await workspace.CreatePatchAsync(CancellationToken.None);

        Assert.Contains("rename from lib/old_name.py\nrename to lib/new_name.py\n", patch, StringComparison.Ordinal);
        Assert.Contains("deleted file mode 100644", patch, StringComparison.Ordinal);
        var clone = Path.Combine(scratch.Path, "clone");
        await origin.GitAsync("-c", "protocol.file.allow=always", "clone", "--quiet", origin.Path, clone);
        var patchFile = Path.Combine(scratch.Path, "change.patch");
        await File.WriteAllTextAsync(patchFile, patch);
        await TestRepository.At(clone).GitAsync("apply", "--index", patchFile);
        Assert.Equal(File.ReadAllText(Path.Combine(origin.Path, "lib/old_name.py")), File.ReadAllText(Path.Combine(clone, "lib/new_name.py")));
        Assert.False(File.Exists(Path.Combine(clone, "lib/old_name.py")));
        Assert.False(File.Exists(Path.Combine(clone, "settings/deprecated.cfg")));
        var status = await TestRepository.At(clone).GitAsync("status", "--porcelain");
        Assert.Equal(["D  settings/deprecated.cfg", "R  lib/old_name.py -> lib/new_name.py"], status.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }
}
