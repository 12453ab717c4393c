using System.Collections.Concurrent;
using System.Diagnostics;
using CodyBatch.LocalGit;

namespace CodyBatch.Sandbox.Bubblewrap;

/// <summary>
/// Starts processes from one thread that lives as long as this process. bwrap's
/// <c>--die-with-parent</c> ties the sandbox to the thread that forked it (Linux's parent-death
/// signal follows the thread, not the process), and pool threads come and go; so a sandbox started
/// from a pool thread could be killed at any moment, while one started here dies exactly when
/// Cody Batch does.
/// </summary>
internal static class Spawner
{
    private static readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> Queue = [];

    static Spawner()
    {
        var thread = new Thread(() =>
        {
            foreach (var (start, started) in Queue.GetConsumingEnumerable())
            {
                try
                {
                    var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} could not be started.");
                    RunWorkPriority.Lower(process);
                    started.SetResult(process);
                }
                catch (Exception e)
                {
                    started.SetException(e);
                }
            }
        })
        {
            IsBackground = true,
            Name = "codybatch-sandbox-spawner",
        };
        thread.Start();
    }

    public static Task<Process> StartAsync(ProcessStartInfo start)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Add((start, started));
        return started.Task;
    }
}
