using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CodyBatch.Core.Telemetry;

/// <summary>
/// Where Cody Batch's traces and metrics come from: one <see cref="ActivitySource"/> and one <see cref="Meter"/>,
/// both named <see cref="Name"/>. Core depends on no telemetry package; the host subscribes an exporter to these
/// names when an endpoint is configured. With no subscriber, starting a span returns null and recording a
/// measurement does nothing, so the product pays nothing for telemetry it does not export.
/// </summary>
/// <remarks>
/// Attributes carry ids, names of stages, tools, models and outcomes, counts and durations — never a prompt, file
/// content, a command line, an error sentence (it may quote repository content) or a secret.
/// </remarks>
public static class CodyBatchTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "CodyBatch";

    /// <summary>The job's id, on the job span, its runs and everything beneath them.</summary>
    public const string JobId = "codybatch.job.id";

    /// <summary>The run's repository (<c>owner/name</c>); with the job id it identifies the run.</summary>
    public const string Repository = "codybatch.run.repository";

    /// <summary>The run's attempt (1 for the first).</summary>
    public const string Attempt = "codybatch.run.attempt";

    /// <summary>How a run or a job ended (<c>succeeded</c>, <c>failed</c>, … as the API spells it).</summary>
    public const string Status = "codybatch.status";

    /// <summary>The stage of a run a span covers.</summary>
    public const string Stage = "codybatch.stage";

    /// <summary>The kind of sandbox work: <c>checks</c> or <c>shell</c>.</summary>
    public const string SandboxKind = "codybatch.sandbox.kind";

    /// <summary>The service a wait or a call was for: <c>github</c> or <c>anthropic</c>.</summary>
    public const string Service = "codybatch.service";

    /// <summary>The source of every span.</summary>
    public static ActivitySource Source { get; } = new(Name, typeof(CodyBatchTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>The meter of every instrument.</summary>
    public static Meter Meter { get; } = new(Name, typeof(CodyBatchTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// Starts a span for one stage of a run (<c>snapshot</c>, <c>setup</c>, <c>checks before</c>, <c>agent</c>,
    /// <c>patch</c>, <c>checks after</c>, <c>publish</c>) under the current span; null when nobody listens.
    /// </summary>
    public static Activity? StartStage(string stage) =>
        Source.StartActivity(stage)?.SetTag(Stage, stage);

    /// <summary>Starts a span named <paramref name="name"/> under the current span; null when nobody listens.</summary>
    public static Activity? Start(string name, ActivityKind kind = ActivityKind.Internal) => Source.StartActivity(name, kind);

    /// <summary>Marks <paramref name="activity"/> failed with the type of <paramref name="error"/> (never its message, which may quote content).</summary>
    public static void Failed(Activity? activity, Exception error)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
        activity.SetTag("error.type", error.GetType().FullName);
    }
}
