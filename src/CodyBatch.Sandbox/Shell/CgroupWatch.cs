using System.Diagnostics;
using System.Globalization;
using CodyBatch.Sandbox.Bubblewrap;

namespace CodyBatch.Sandbox.Shell;

/// <summary>
/// What a long-lived session needs of its cgroup beyond one command's: the members, the limit counters (to see
/// whether this command hit one) and killing every member but the session's own processes.
/// </summary>
internal sealed class CgroupWatch(CommandCgroup group)
{
    private readonly string _pids = Path.GetDirectoryName(group.ProcsFiles[0])!;
    private readonly string _memory = Path.GetDirectoryName(group.ProcsFiles[^1])!;

    /// <summary>How often a fork failed at the process limit so far.</summary>
    public long ProcessLimitHits => CommandCgroup.Counter(Path.Combine(_pids, "pids.events"), "max");

    /// <summary>How many processes the kernel killed at the memory limit so far.</summary>
    public long MemoryKills => Math.Max(CommandCgroup.Counter(Path.Combine(_memory, "memory.events"), "oom_kill"), CommandCgroup.Counter(Path.Combine(_memory, "memory.oom_control"), "oom_kill"));

    /// <summary>The group's processes.</summary>
    public HashSet<int> Members()
    {
        var members = new HashSet<int>();
        foreach (var file in group.ProcsFiles)
        {
            try
            {
                foreach (var line in File.ReadAllLines(file))
                {
                    if (int.TryParse(line, CultureInfo.InvariantCulture, out var pid))
                    {
                        members.Add(pid);
                    }
                }
            }
            catch (IOException)
            {
                // The group is gone.
            }
        }

        return members;
    }

    /// <summary>Kills every process of the group except <paramref name="keep"/>, again and again until none is left (a fork bomb keeps forking) or seconds pass.</summary>
    public void KillAllBut(IReadOnlySet<int> keep)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var others = Members().Where(pid => !keep.Contains(pid)).ToList();
            if (others.Count == 0)
            {
                return;
            }

            foreach (var pid in others)
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Ended on its own in between.
                }
            }

            Thread.Sleep(2);
        }
    }
}
