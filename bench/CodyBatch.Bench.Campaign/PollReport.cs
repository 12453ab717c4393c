using System.Globalization;

namespace CodyBatch.Bench.Campaign;

/// <summary>One poll of the page: when it was asked and answered (UTC), how, and the server process's state around it.</summary>
/// <param name="Start">When it was sent.</param>
/// <param name="End">When its answer's last byte had come.</param>
/// <param name="Status">The answer's status code (200 or 304).</param>
/// <param name="Threads">The thread pool's threads when its answer had come.</param>
/// <param name="PendingBefore">Thread-pool work items queued when it was sent.</param>
/// <param name="PendingAfter">Thread-pool work items queued when its answer had come.</param>
/// <param name="Runnable">Tasks the machine had ready to run (running or waiting for a core) when its answer had come.</param>
public sealed record Poll(DateTime Start, DateTime End, int Status, long PendingBefore, long PendingAfter, int Threads, int Runnable)
{
    /// <summary>How long the answer took, to its last byte.</summary>
    public double Milliseconds => (End - Start).TotalMilliseconds;

    /// <summary>The machine's runnable tasks now (procs_running of /proc/stat), or -1 where there is none.</summary>
    public static int RunnableNow()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/stat"))
            {
                if (line.StartsWith("procs_running ", StringComparison.Ordinal))
                {
                    return int.Parse(line.AsSpan("procs_running ".Length), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return -1;
    }
}

/// <summary>What happened in the server during the slowest polls, and the run's GC pauses by generation.</summary>
public static class PollReport
{
    /// <summary>Prints the <paramref name="slowest"/> slowest polls with the GC pauses they overlapped, and the pauses by generation.</summary>
    public static void Print(IReadOnlyList<Poll> polls, IReadOnlyCollection<GcPause> pauses, DateTime from, int slowest)
    {
        var during = pauses.Where(p => p.End >= from).ToList();
        Console.WriteLine(Invariant($"slowest {slowest} polls (what the server did meanwhile):"));
        foreach (var poll in polls.OrderByDescending(p => p.Milliseconds).Take(slowest))
        {
            var overlapping = during.Where(p => p.Start < poll.End && p.End > poll.Start).ToList();
            var inGc = overlapping.Sum(p => (Min(p.End, poll.End) - Max(p.Start, poll.Start)).TotalMilliseconds);
            var gens = string.Join(", ", overlapping.Select(p => Invariant($"gen{Generation(p)} {p.Kind} {p.Duration.TotalMilliseconds:0.0}")));
            Console.WriteLine(Invariant(
                $"  {poll.Milliseconds,6:0.0} ms {poll.Status} at +{(poll.Start - from).TotalSeconds,5:0.0} s: in GC {inGc,5:0.0} ms [{gens}]; pool queue {poll.PendingBefore}→{poll.PendingAfter}, {poll.Threads} threads; {poll.Runnable} runnable on the machine"));
        }

        Console.WriteLine(Invariant($"GC pauses during the run: {during.Count}, {during.Sum(p => p.Duration.TotalMilliseconds):0} ms in all; over 20 ms: {during.Count(p => p.Duration.TotalMilliseconds > 20)}; over 50 ms: {during.Count(p => p.Duration.TotalMilliseconds > 50)}"));
        foreach (var generation in during.GroupBy(p => $"gen{Generation(p)} {p.Kind}").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ms = generation.Select(p => p.Duration.TotalMilliseconds).Order().ToList();
            var suspending = generation.Sum(p => p.Suspending.TotalMilliseconds);
            Console.WriteLine(Invariant($"  {generation.Key,-22} {ms.Count,4} pauses, {ms.Sum(),7:0.0} ms ({suspending:0.0} ms of it stopping the threads), median {ms[ms.Count / 2],5:0.0} ms, max {ms[^1],6:0.0} ms"));
        }
    }

    /// <summary>Prints the <paramref name="top"/> types allocated most, by the runtime's samples.</summary>
    public static void PrintAllocations(IReadOnlyDictionary<string, long> allocated, int top)
    {
        var total = allocated.Values.Sum();
        Console.WriteLine(Invariant($"allocated (sampled): {total / 1048576.0:0} MB; the top {top} types:"));
        foreach (var (type, bytes) in allocated.OrderByDescending(a => a.Value).Take(top))
        {
            Console.WriteLine(Invariant($"  {bytes / 1048576.0,7:0.0} MB {100.0 * bytes / total,5:0.0} %  {type}"));
        }
    }

    private static string Generation(GcPause pause) => pause.Generation < 0 ? "2" : pause.Generation.ToString(CultureInfo.InvariantCulture);

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
