namespace CodyBatch.Core.Engine;

/// <summary>
/// Lets the code a run calls (a repository host waiting out a rate limit, say) say what the run is
/// doing right now; the run shows it until the next activity or its end. Ambient to the run's flow.
/// </summary>
public sealed class RunActivity(Func<string?, Task> report)
{
    private static readonly AsyncLocal<RunActivity?> CurrentSlot = new();

    /// <summary>The activity of the run this code works for, or null outside a run.</summary>
    public static RunActivity? Current
    {
        get => CurrentSlot.Value;
        set => CurrentSlot.Value = value;
    }

    /// <summary>Shows <paramref name="activity"/> on the run (null clears it).</summary>
    public Task ReportAsync(string? activity) => report(activity);
}
