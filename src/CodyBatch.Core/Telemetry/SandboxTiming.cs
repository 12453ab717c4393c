using System.Diagnostics;

namespace CodyBatch.Core.Telemetry;

/// <summary>One piece of sandbox work being timed (see <see cref="CodyBatchMetrics.TimeSandbox"/>); say how it ended, then dispose.</summary>
public sealed class SandboxTiming(string kind, Activity? activity, long started) : IDisposable
{
    private string _outcome = "error";

    /// <summary>Records how the work ended: <c>ok</c>, <c>failed</c> (a non-zero exit, a check that failed), <c>limit</c> (a limit stopped it).</summary>
    public void Ended(string outcome, int? exitCode = null)
    {
        _outcome = outcome;
        if (activity is not null && exitCode is { } code)
        {
            activity.SetTag("process.exit.code", code);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        CodyBatchMetrics.Sandboxed(kind, Stopwatch.GetElapsedTime(started), _outcome);
        if (activity is not null)
        {
            activity.SetTag("codybatch.outcome", _outcome);
            if (_outcome == "error")
            {
                activity.SetStatus(ActivityStatusCode.Error);
            }

            activity.Dispose();
        }
    }
}
