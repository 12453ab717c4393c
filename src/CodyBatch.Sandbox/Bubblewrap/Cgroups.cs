using System.Globalization;

namespace CodyBatch.Sandbox.Bubblewrap;

/// <summary>
/// Memory and process limits for one command's whole tree, through Linux cgroups. Chosen by what
/// <c>/sys/fs/cgroup</c> is:
/// <list type="bullet">
/// <item>cgroup v2 (current distributions, Amazon Linux 2023 and the ECS-optimised AMIs): beneath this process's own
/// group, <c>codybatch-checks</c> with <c>memory</c> and <c>pids</c> enabled through <c>cgroup.subtree_control</c>, and
/// one child per command with <c>memory.max</c>, <c>memory.swap.max</c> and <c>pids.max</c>. A group with processes
/// cannot hand controllers to children (the "no internal processes" rule), so when the kernel refuses that, this
/// process's group members move into a <c>codybatch-host</c> leaf first, as in a container with its own cgroup namespace.</item>
/// <item>cgroup v1: a folder under this process's own <c>pids</c> and <c>memory</c> groups.</item>
/// </list>
/// Children stay in their parent's group, so nothing in the tree can leave it.
/// </summary>
internal sealed class Cgroups
{
    /// <summary>Where the kernel mounts the cgroup hierarchies.</summary>
    public const string DefaultRoot = "/sys/fs/cgroup";

    private const string Controllers = "+memory +pids";
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

    /// <summary>The folder command groups are created in (the v2 parent, or the v1 pids parent).</summary>
    public string Parent => _pidsParent;

    /// <summary>The cgroups this process may create, or the reason there are none.</summary>
    public static (Cgroups? Cgroups, string? Problem) Open() => Open(DefaultRoot, "/proc/self/cgroup");

    /// <summary>
    /// As <see cref="Open()"/>, with the hierarchy at <paramref name="root"/> and this process's memberships read from
    /// <paramref name="membership"/> (a file in the format of <c>/proc/self/cgroup</c>); tests point both at a folder
    /// that mimics the kernel's files.
    /// </summary>
    internal static (Cgroups? Cgroups, string? Problem) Open(string root, string membership)
    {
        try
        {
            var own = File.ReadAllLines(membership).Select(l => l.Split(':', 3)).Where(p => p.Length == 3).ToList();

            // cgroup.controllers exists only at a cgroup2 mount: the unified hierarchy.
            if (File.Exists(Path.Combine(root, "cgroup.controllers")))
            {
                var path = own.FirstOrDefault(p => p[0] == "0" && p[1].Length == 0)?[2] ?? "/";
                return OpenV2(Path.Combine(root, path.TrimStart('/')).TrimEnd('/'));
            }

            string? Own(string controller) =>
                own.FirstOrDefault(p => p[1].Split(',').Contains(controller)) is { } line && Directory.Exists(Path.Combine(root, controller))
                    ? Path.Combine(root, controller) + line[2].TrimEnd('/')
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

    private static (Cgroups?, string?) OpenV2(string own)
    {
        var available = File.ReadAllText(Path.Combine(own, "cgroup.controllers")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!available.Contains("memory") || !available.Contains("pids"))
        {
            return (null, $"cgroup v2 offers this process's group only [{string.Join(' ', available)}], not memory and pids; run Cody Batch where they are delegated to it");
        }

        try
        {
            Write(Path.Combine(own, "cgroup.subtree_control"), Controllers);
        }
        catch (IOException)
        {
            // EBUSY: the group has processes of its own. Move them to a leaf, then hand the controllers down.
            var leaf = Path.Combine(own, "codybatch-host");
            Directory.CreateDirectory(leaf);
            foreach (var pid in File.ReadAllLines(Path.Combine(own, "cgroup.procs")).Where(l => l.Length > 0))
            {
                TryWrite(Path.Combine(leaf, "cgroup.procs"), pid);
            }

            Write(Path.Combine(own, "cgroup.subtree_control"), Controllers);
        }

        var parent = Path.Combine(own, "codybatch-checks");
        Directory.CreateDirectory(parent);
        Write(Path.Combine(parent, "cgroup.subtree_control"), Controllers);
        return Probe(new Cgroups(true, parent, parent));
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
                // Swap accounting may be off, or the process ended; the limits still hold.
            }
        }
    }
}
