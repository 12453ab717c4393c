using System.ComponentModel;
using System.Diagnostics;

namespace CodyBatch.LocalGit;

/// <summary>
/// The processes a run starts (git, the sandbox and everything in it) run below the server's own priority, so the
/// API and the web UI answer promptly while many runs share the machine's cores; when nothing else wants the CPU,
/// the runs get all of it.
/// </summary>
public static class RunWorkPriority
{
    // A server already started below normal (say under `nice`) leaves its children where they are.
    private static readonly Lazy<bool> ServerAtNormalOrAbove = new(() =>
    {
        using var self = Process.GetCurrentProcess();
        return self.PriorityClass is not (ProcessPriorityClass.BelowNormal or ProcessPriorityClass.Idle);
    });

    /// <summary>Lowers <paramref name="process"/> (and what it starts from now on) to below-normal priority.</summary>
    public static void Lower(Process process)
    {
        if (!ServerAtNormalOrAbove.Value)
        {
            return;
        }

        try
        {
            process.PriorityClass = ProcessPriorityClass.BelowNormal;
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // It has already exited, or this system refuses the change: either way there is nothing to lower.
        }
    }
}
