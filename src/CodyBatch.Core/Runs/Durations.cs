using System.Globalization;

namespace CodyBatch.Core.Runs;

/// <summary>Durations in the sentences runs, settings and prompts use: a minute or more in minutes, less in seconds.</summary>
public static class Durations
{
    /// <summary><c>30 minutes</c>, <c>1.5 minutes</c>, <c>42 seconds</c>, <c>1.5 seconds</c> (the same in every culture).</summary>
    public static string Describe(TimeSpan span) =>
        span == TimeSpan.FromMinutes(1) ? "1 minute"
        : span == TimeSpan.FromSeconds(1) ? "1 second"
        : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} minutes")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.##} seconds");
}
