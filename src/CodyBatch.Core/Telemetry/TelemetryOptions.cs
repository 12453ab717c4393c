using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Core.Telemetry;

/// <summary>Traces and metrics over OTLP (<c>CodyBatch:Telemetry</c>); off unless an endpoint is configured.</summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Telemetry";

    /// <summary>
    /// The OTLP/HTTP endpoint's base address (e.g. <c>http://collector:4318</c>; traces go to <c>/v1/traces</c>,
    /// metrics to <c>/v1/metrics</c>). Null falls back to <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; neither means no export.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The <c>service.name</c> of the exported resource.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "CodyBatch:Telemetry:ServiceName must not be empty.")]
    public string ServiceName { get; set; } = "codybatch";

    /// <summary>How often the metric exporter sends (OTLP's periodic reader).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "CodyBatch:Telemetry:ExportInterval must be between 1 second and 1 hour.")]
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a process with workers looks at the queue for the depth and age gauges.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "CodyBatch:Telemetry:QueueSampleInterval must be between 1 second and 1 hour.")]
    public TimeSpan QueueSampleInterval { get; set; } = TimeSpan.FromSeconds(30);
}
