using CodyBatch.Core.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CodyBatch.Telemetry;

/// <summary>
/// Exports Cody Batch's spans and metrics (and the HTTP spans beneath them, and the API's requests) over OTLP/HTTP
/// with protobuf while the host runs — each signal when an endpoint is configured for it (see <see cref="EndpointsOf"/>).
/// With none, nothing is built: no listener, no exporter, no cost.
/// Started before the workers and stopped after them, so a run's spans are flushed before the process exits.
/// </summary>
internal sealed partial class TelemetryExport(IOptions<TelemetryOptions> options, IConfiguration configuration, ILogger<TelemetryExport> logger)
    : IHostedService, IDisposable
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The traces' provider while exporting; null when telemetry is off.</summary>
    public TracerProvider? Tracing { get; private set; }

    /// <summary>The metrics' provider while exporting; null when telemetry is off.</summary>
    public MeterProvider? Metrics { get; private set; }

    /// <summary>
    /// Where each signal goes: <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> / <c>OTEL_EXPORTER_OTLP_METRICS_ENDPOINT</c> as
    /// full URLs (as OpenTelemetry's specification has them), else the base endpoint
    /// (<see cref="TelemetryOptions.OtlpEndpoint"/>, else <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) with <c>v1/traces</c> or
    /// <c>v1/metrics</c> appended. Null for a signal with no endpoint, and for both when <c>OTEL_SDK_DISABLED</c> is true.
    /// </summary>
    public static (Uri? Traces, Uri? Metrics) EndpointsOf(TelemetryOptions options, IConfiguration configuration)
    {
        if (string.Equals(configuration["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        var text = string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] : options.OtlpEndpoint;
        var root = string.IsNullOrWhiteSpace(text) ? null : new Uri(text.Trim().TrimEnd('/') + "/");
        Uri? Signal(string variable, string path) =>
            configuration[variable] is { } full && !string.IsNullOrWhiteSpace(full) ? new Uri(full.Trim())
            : root is null ? null
            : new Uri(root, path);
        return (Signal("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "v1/traces"), Signal("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "v1/metrics"));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var (traces, metrics) = EndpointsOf(settings, configuration);
        if (traces is not null || metrics is not null)
        {
            // Off, OpenTelemetry is not even loaded: its resource detection and assemblies cost the API function's cold start.
            Start(settings, traces, metrics);
        }

        return Task.CompletedTask;
    }

    private void Start(TelemetryOptions settings, Uri? traces, Uri? metrics)
    {
        string? Headers(string signal) =>
            configuration[$"OTEL_EXPORTER_OTLP_{signal}_HEADERS"] is { Length: > 0 } own ? own : configuration["OTEL_EXPORTER_OTLP_HEADERS"];
        var resource = ResourceBuilder.CreateDefault().AddService(settings.ServiceName, serviceVersion: typeof(TelemetryExport).Assembly.GetName().Version?.ToString());
        if (traces is not null)
        {
            Tracing = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(resource)
                .AddSource(CodyBatchTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddProcessor(new RunIdsProcessor())
                .AddOtlpExporter(o => Target(o, traces, Headers("TRACES")))
                .Build();
            LogExporting(logger, "traces", traces.GetLeftPart(UriPartial.Path));
        }

        if (metrics is not null)
        {
            Metrics = Sdk.CreateMeterProviderBuilder()
                .SetResourceBuilder(resource)
                .AddMeter(CodyBatchTelemetry.Name)
                .AddOtlpExporter((o, reader) =>
                {
                    Target(o, metrics, Headers("METRICS"));
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)settings.ExportInterval.TotalMilliseconds;
                })
                .Build();
            LogExporting(logger, "metrics", metrics.GetLeftPart(UriPartial.Path));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // Sends what is buffered, within a bound (an exporter's own request timeout is 10 s): disposing alone gives up
        // after a few seconds, which a loaded machine can take before the first export is even serialized.
        Flush(FlushTimeout);
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Sends what is buffered now; false when it did not finish within <paramref name="timeout"/>.</summary>
    public bool Flush(TimeSpan timeout) =>
        (Tracing?.ForceFlush((int)timeout.TotalMilliseconds) ?? true) & (Metrics?.ForceFlush((int)timeout.TotalMilliseconds) ?? true);

    public void Dispose()
    {
        var (tracing, metrics) = (Tracing, Metrics);
        (Tracing, Metrics) = (null, null);
        Quietly(tracing);
        Quietly(metrics);
    }

    // What was buffered is flushed already; a provider failing while it shuts down must not fail the host's stop.
    private void Quietly(IDisposable? provider)
    {
        try
        {
            provider?.Dispose();
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or ObjectDisposedException)
        {
            LogShutdownFailed(logger, e.GetType().Name);
        }
    }

    private static void Target(OtlpExporterOptions exporter, Uri endpoint, string? headers)
    {
        // Set in code, the endpoint is the signal's full URL (the SDK appends /v1/... only to the environment's).
        exporter.Endpoint = endpoint;
        exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
        if (!string.IsNullOrWhiteSpace(headers))
        {
            // From the configuration, so a value read from SSM at start counts too; never logged (it holds credentials).
            exporter.Headers = headers;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An OpenTelemetry provider failed while shutting down ({Error}); what it had buffered was flushed before")]
    private static partial void LogShutdownFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Exporting {Signal} over OTLP/HTTP to {Endpoint}")]
    private static partial void LogExporting(ILogger logger, string signal, string endpoint);
}
