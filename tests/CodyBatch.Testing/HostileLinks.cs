namespace CodyBatch.Testing;

/// <summary>
/// A victim folder in the host's temporary folder and the symbolic links a hostile repository carries
/// to reach it: the chain <c>x/y -> ..</c> with <c>top -> x/y/…(twenty)…/x/../…(twenty-one)</c> that
/// looks inside but resolves to <c>/</c>, an absolute target, a <c>..</c> chain and a link to a link.
/// </summary>
public sealed class HostileLinks : IDisposable
{
    public HostileLinks()
    {
        Victim = Path.Combine(Path.GetTempPath(), $"codybatch-victim-{Guid.NewGuid():N}");
        Secret = $"VICTIM-SECRET-{Guid.NewGuid():N}";
        Directory.CreateDirectory(Path.Combine(Victim, "dir"));
        File.WriteAllText(Path.Combine(Victim, "secret.txt"), Secret + "\n");
        File.WriteAllText(Path.Combine(Victim, "dir", "kept.txt"), "kept\n");
    }

    /// <summary>The folder nothing may read, create, change, delete or move in.</summary>
    public string Victim { get; }

    /// <summary>The text of <c>secret.txt</c>; it must never show up in a tool result.</summary>
    public string Secret { get; }

    /// <summary>The links, as (path in the repository, target).</summary>
    public IReadOnlyList<(string Path, string Target)> Links =>
    [
        ("x/y", ".."),
        ("top", string.Concat(Enumerable.Repeat("x/y/", 20)) + "x/" + string.Join('/', Enumerable.Repeat("..", 21))),
        ("abs", Victim),
        ("dots", string.Concat(Enumerable.Repeat("../", 40)) + Victim.TrimStart('/')),
        ("hop", "abs"),
    ];

    /// <summary>The names of the ways to the victim folder, for theories.</summary>
    public static IEnumerable<object[]> RouteNames => [["top"], ["abs"], ["dots"], ["hop"]];

    /// <summary>The path in the repository that the kernel would resolve to the victim folder.</summary>
    public string Route(string name) => name == "top" ? "top" + Victim : name;

    /// <summary>Makes the links in a folder (a workspace or a repository being built).</summary>
    public void PlantIn(string root)
    {
        foreach (var (path, target) in Links)
        {
            var link = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            File.CreateSymbolicLink(link, target);
        }
    }

    /// <summary>Fails unless the victim folder holds exactly what it started with.</summary>
    public void AssertUntouched()
    {
        var entries = Directory.EnumerateFileSystemEntries(Victim, "*", SearchOption.AllDirectories)
            .Select(e => Path.GetRelativePath(Victim, e))
            .Order(StringComparer.Ordinal);
        Assert.Equal(["dir", "dir/kept.txt", "secret.txt"], entries);
        Assert.Equal(Secret + "\n", File.ReadAllText(Path.Combine(Victim, "secret.txt")));
        Assert.Equal("kept\n", File.ReadAllText(Path.Combine(Victim, "dir", "kept.txt")));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Victim, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
