using System.ComponentModel;
using System.Diagnostics;

namespace CodyBatch.LocalGit;

/// <summary>
/// The processes a run starts (git, the sandbox and everything in it) run at the lowest priority (nice 19), so the
/// API and the web UI answer promptly while many runs share the machine's cores; when nothing else wants the CPU,
/// the runs get all of it.
/// </summary>
/// <remarks>
/// Nice 19 rather than 10: fifty runs at once keep 40–80 of their processes ready to run on two cores, and at nice 10
/// (a tenth of the server's weight each) they still took most of a core from a request; at nice 19 (a seventieth)
/// they take little while the server has work and all of the CPU while it has none.
/// </remarks>
public static class RunWorkPriority
{
    // A server already started at the lowest priority (say under `nice -n 19`) leaves its children where they are.
    private static readonly Lazy<bool> ServerAboveIdle = new(() =>
    {
        using var self = Process.GetCurrentProcess();
        return self.PriorityClass is not ProcessPriorityClass.Idle;
    });

    /// <summary>Lowers <paramref name="process"/> (and what it starts from now on) to the lowest priority.</summary>
    public static void Lower(Process process)
    {
        if (!ServerAboveIdle.Value)
        {
            return;
        }

        try
        {
            process.PriorityClass = ProcessPriorityClass.Idle;
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // It has already exited, or this system refuses the change: either way there is nothing to lower.
        }
    }
}
