namespace CodyBatch.Core.Runs;

/// <summary>Durations in the sentences runs and settings use: a minute or more in minutes, less in seconds.</summary>
public static class Durations
{
    /// <summary><c>30 minutes</c>, <c>1.5 minutes</c>, <c>42 seconds</c>, <c>1.5 seconds</c>.</summary>
    public static string Describe(TimeSpan span) =>
        span == TimeSpan.FromMinutes(1) ? "1 minute"
        : span == TimeSpan.FromSeconds(1) ? "1 second"
        : span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0.#} minutes" : $"{span.TotalSeconds:0.##} seconds";
}
