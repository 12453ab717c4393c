using CodyBatch.LocalGit;

namespace CodyBatch.Testing;

/// <summary>A real git repository in a temp folder, built by a test.</summary>
public sealed class TestRepository
{
    private TestRepository(string path) => Path = path;

    public string Path { get; }

    /// <summary>A folder to edit (a workspace's tree, say) with the same helpers; no git needed.</summary>
    public static TestRepository At(string path) => new(path);

    public static async Task<TestRepository> InitAsync(string path)
    {
        Directory.CreateDirectory(path);
        var repository = new TestRepository(path);
        await repository.GitAsync("init", "--quiet", "--initial-branch=main");
        return repository;
    }

    public TestRepository Write(string relative, string content) => Write(relative, Encoding.UTF8.GetBytes(content));

    public TestRepository Write(string relative, byte[] content)
    {
        var target = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        File.WriteAllBytes(target, content);
        return this;
    }

    public TestRepository Executable(string relative, bool executable = true)
    {
        var target = System.IO.Path.Combine(Path, relative);
        var mode = File.GetUnixFileMode(target);
        var x = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(target, executable ? mode | x : mode & ~x);
        return this;
    }

    public TestRepository Symlink(string relative, string target)
    {
        var link = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, target);
        return this;
    }

    /// <summary>Stages everything and commits; returns the new commit.</summary>
    public async Task<string> CommitAsync(string message = "change")
    {
        await GitAsync("add", "--all");
        await GitAsync("commit", "--quiet", "--allow-empty", "-m", message);
        return (await GitAsync("rev-parse", "HEAD")).Trim();
    }

    public Task<string> GitAsync(params string[] arguments) => GitCommandLine.RunAsync(Path, arguments, CancellationToken.None);

    /// <summary>Every file under <paramref name="root"/> except .git: relative path → content, with its kind and exec bit.</summary>
    public static SortedDictionary<string, string> Snapshot(string root)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var relative = System.IO.Path.GetRelativePath(root, entry.FullName).Replace('\\', '/');
            if (relative == ".git" || relative.StartsWith(".git/", StringComparison.Ordinal) || entry is DirectoryInfo { LinkTarget: null })
            {
                continue;
            }

            result[relative] = entry.LinkTarget is { } target
                ? $"link -> {target}"
                : $"{((File.GetUnixFileMode(entry.FullName) & UnixFileMode.UserExecute) != 0 ? "exec" : "file")} {Convert.ToHexString(File.ReadAllBytes(entry.FullName))}";
        }

        return result;
    }
}
