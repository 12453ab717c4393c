using CodyBatch.Core.Telemetry;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CodyBatch.Telemetry;

/// <summary>
/// Exports Cody Batch's spans and metrics (and the HTTP spans beneath them, and the API's requests) over OTLP/HTTP
/// with protobuf while the host runs — when an endpoint is configured (<see cref="TelemetryOptions.OtlpEndpoint"/>,
/// else <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>). With none, nothing is built: no listener, no exporter, no cost.
/// Started before the workers and stopped after them, so a run's spans are flushed before the process exits.
/// </summary>
internal sealed partial class TelemetryExport(IOptions<TelemetryOptions> options, IConfiguration configuration, ILogger<TelemetryExport> logger)
    : IHostedService, IDisposable
{
    /// <summary>The traces' provider while exporting; null when telemetry is off.</summary>
    public TracerProvider? Tracing { get; private set; }

    /// <summary>The metrics' provider while exporting; null when telemetry is off.</summary>
    public MeterProvider? Metrics { get; private set; }

    /// <summary>The OTLP endpoint's base address the configuration names, or null.</summary>
    public static Uri? EndpointOf(TelemetryOptions options, IConfiguration configuration)
    {
        if (string.Equals(configuration["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var text = string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] : options.OtlpEndpoint;
        return string.IsNullOrWhiteSpace(text) ? null : new Uri(text.Trim().TrimEnd('/') + "/");
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (EndpointOf(settings, configuration) is not { } endpoint)
        {
            return Task.CompletedTask;
        }

        var resource = ResourceBuilder.CreateDefault().AddService(settings.ServiceName, serviceVersion: typeof(TelemetryExport).Assembly.GetName().Version?.ToString());
        Tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(CodyBatchTelemetry.Name)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddProcessor(new RunIdsProcessor())
            .AddOtlpExporter(o => Target(o, endpoint, "v1/traces"))
            .Build();
        Metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(CodyBatchTelemetry.Name)
            .AddOtlpExporter((o, reader) =>
            {
                Target(o, endpoint, "v1/metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)settings.ExportInterval.TotalMilliseconds;
            })
            .Build();
        LogExporting(logger, endpoint.GetLeftPart(UriPartial.Authority));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Sends what is buffered now (the tests' way to see a job's telemetry without waiting for an interval).</summary>
    public bool Flush() => (Tracing?.ForceFlush() ?? true) & (Metrics?.ForceFlush() ?? true);

    public void Dispose()
    {
        // Disposing flushes what is buffered.
        Tracing?.Dispose();
        Metrics?.Dispose();
        Tracing = null;
        Metrics = null;
    }

    private static void Target(OtlpExporterOptions exporter, Uri endpoint, string path)
    {
        // Set in code, the endpoint is the signal's full URL (the SDK appends /v1/... only to the environment's).
        exporter.Endpoint = new Uri(endpoint, path);
        exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Exporting traces and metrics over OTLP/HTTP to {Endpoint}")]
    private static partial void LogExporting(ILogger logger, string endpoint);
}
