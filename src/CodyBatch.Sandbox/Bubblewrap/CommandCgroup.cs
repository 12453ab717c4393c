using System.Diagnostics;
using System.Globalization;

namespace CodyBatch.Sandbox.Bubblewrap;

/// <summary>
/// The group one command's process tree runs in: joined before bwrap starts (the launcher writes its pid to
/// <see cref="ProcsFiles"/>), read for limit hits (<c>pids.events</c>, and <c>memory.events</c> on v2 or
/// <c>memory.oom_control</c> on v1), emptied by killing (v2: <c>cgroup.kill</c>, then each member left).
/// </summary>
internal sealed class CommandCgroup(bool v2, string pids, string memory) : IDisposable
{
    /// <summary>The files the launcher writes its own pid into before it becomes bwrap.</summary>
    public IReadOnlyList<string> ProcsFiles => v2 ? [Path.Combine(pids, "cgroup.procs")] : [Path.Combine(pids, "cgroup.procs"), Path.Combine(memory, "cgroup.procs")];

    /// <summary>A fork failed because the tree had as many tasks as it may.</summary>
    public bool ProcessLimitHit => Counter(Path.Combine(pids, "pids.events"), "max") > 0;

    /// <summary>The kernel killed a process of the tree at the memory limit.</summary>
    public bool MemoryLimitHit => v2
        ? Counter(Path.Combine(memory, "memory.events"), "oom_kill") > 0
        : Counter(Path.Combine(memory, "memory.oom_control"), "oom_kill") > 0;

    /// <summary>Kills every process in the group until none is left (or a few seconds pass).</summary>
    public void KillAll()
    {
        if (v2 && File.Exists(Path.Combine(pids, "cgroup.kill")))
        {
            TryIgnore(() => Cgroups.Write(Path.Combine(pids, "cgroup.kill"), "1"));
        }

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            var members = Members();
            if (members.Count == 0)
            {
                return;
            }

            foreach (var pid in members)
            {
                TryIgnore(() =>
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                });
            }

            Thread.Sleep(5);
        }
    }

    public void Dispose()
    {
        KillAll();
        foreach (var folder in new[] { pids, memory }.Distinct())
        {
            for (var attempt = 0; attempt < 50 && Directory.Exists(folder); attempt++)
            {
                try
                {
                    // Only rmdir removes a cgroup; its files are not real files.
                    Directory.Delete(folder);
                }
                catch (IOException)
                {
                    Thread.Sleep(5);
                }
            }
        }
    }

    private List<int> Members()
    {
        var members = new List<int>();
        foreach (var file in ProcsFiles)
        {
            try
            {
                // Only the living: a pid whose process is gone (and reaped) cannot be killed again.
                members.AddRange(File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).Where(p => Directory.Exists($"/proc/{p}")));
            }
            catch (IOException)
            {
                // Gone already.
            }
        }

        return [.. members.Distinct()];
    }

    /// <summary>The value of <paramref name="key"/> in a cgroup "key value" file (pids.events, memory.events, memory.oom_control); 0 when absent.</summary>
    internal static long Counter(string file, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                var parts = line.Split(' ', 2);
                if (parts.Length == 2 && parts[0] == key && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var value))
                {
                    return value;
                }
            }
        }
        catch (IOException)
        {
            // Not there on this kernel.
        }

        return 0;
    }

    private static void TryIgnore(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            // The process ended on its own in between.
        }
    }
}
