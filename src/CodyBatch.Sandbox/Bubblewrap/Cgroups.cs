using System.Globalization;

namespace CodyBatch.Sandbox.Bubblewrap;

/// <summary>
/// Memory and process limits for one command's whole tree, through Linux cgroups: v2 (one folder
/// with <c>pids.max</c> and <c>memory.max</c> under <c>/sys/fs/cgroup/codybatch-checks</c>) or v1
/// (a folder under this process's own <c>pids</c> and <c>memory</c> groups). Children stay in their
/// parent's group, so nothing in the tree can leave it.
/// </summary>
internal sealed class Cgroups
{
    private const string Root = "/sys/fs/cgroup";
    private readonly bool _v2;
    private readonly string _pidsParent;
    private readonly string _memoryParent;

    private Cgroups(bool v2, string pidsParent, string memoryParent)
    {
        _v2 = v2;
        _pidsParent = pidsParent;
        _memoryParent = memoryParent;
    }

    public string Kind => _v2 ? "cgroup v2" : "cgroup v1";

    /// <summary>The cgroups this process may create, or the reason there are none.</summary>
    public static (Cgroups? Cgroups, string? Problem) Open()
    {
        try
        {
            if (File.Exists(Path.Combine(Root, "cgroup.controllers")))
            {
                var parent = Path.Combine(Root, "codybatch-checks");
                Write(Path.Combine(Root, "cgroup.subtree_control"), "+pids +memory");
                Directory.CreateDirectory(parent);
                Write(Path.Combine(parent, "cgroup.subtree_control"), "+pids +memory");
                return Probe(new Cgroups(true, parent, parent));
            }

            var own = File.ReadAllLines("/proc/self/cgroup").Select(l => l.Split(':', 3)).Where(p => p.Length == 3).ToList();
            string? Own(string controller) =>
                own.FirstOrDefault(p => p[1].Split(',').Contains(controller)) is { } line && Directory.Exists(Path.Combine(Root, controller))
                    ? Path.Combine(Root, controller) + line[2].TrimEnd('/')
                    : null;
            return Own("pids") is { } pids && Own("memory") is { } memory
                ? Probe(new Cgroups(false, pids, memory))
                : (null, "this machine mounts neither cgroup v2 nor the v1 pids and memory controllers");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, e.Message);
        }
    }

    /// <summary>A new group limited to <paramref name="maxProcesses"/> tasks and <paramref name="memoryBytes"/> of memory.</summary>
    public CommandCgroup Create(int maxProcesses, long memoryBytes)
    {
        var name = $"codybatch-{Guid.NewGuid():N}";
        var pids = Path.Combine(_pidsParent, name);
        var memory = _v2 ? pids : Path.Combine(_memoryParent, name);
        Directory.CreateDirectory(pids);
        var group = new CommandCgroup(_v2, pids, memory);
        try
        {
            Directory.CreateDirectory(memory);
            Write(Path.Combine(pids, "pids.max"), maxProcesses.ToString(CultureInfo.InvariantCulture));
            if (_v2)
            {
                Write(Path.Combine(memory, "memory.max"), memoryBytes.ToString(CultureInfo.InvariantCulture));
                TryWrite(Path.Combine(memory, "memory.swap.max"), "0");
            }
            else
            {
                Write(Path.Combine(memory, "memory.limit_in_bytes"), memoryBytes.ToString(CultureInfo.InvariantCulture));
                TryWrite(Path.Combine(memory, "memory.memsw.limit_in_bytes"), memoryBytes.ToString(CultureInfo.InvariantCulture));
            }
        }
        catch
        {
            group.Dispose();
            throw;
        }

        return group;
    }

    private static (Cgroups?, string?) Probe(Cgroups cgroups)
    {
        using var probe = cgroups.Create(8, 64L * 1024 * 1024);
        return (cgroups, null);
    }

    internal static void Write(string file, string value) => File.WriteAllText(file, value);

    private static void TryWrite(string file, string value)
    {
        if (File.Exists(file))
        {
            try
            {
                Write(file, value);
            }
            catch (IOException)
            {
                // Swap accounting may be off; the memory limit still holds.
            }
        }
    }
}
