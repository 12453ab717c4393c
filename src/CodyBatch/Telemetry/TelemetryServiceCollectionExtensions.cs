using CodyBatch.Core.Telemetry;

namespace CodyBatch.Telemetry;

/// <summary>Registers OTLP export of traces and metrics, which stays off unless an endpoint is configured.</summary>
internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TelemetryExport"/> (register before the workers, so it starts before them and stops after them)
    /// and, with <paramref name="withWorker"/>, the queue's gauges.
    /// </summary>
    public static IServiceCollection AddCodyBatchTelemetry(this IServiceCollection services, bool withWorker)
    {
        services.AddOptionsWithValidateOnStart<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.Section)
            .ValidateDataAnnotations()
            .Validate<IConfiguration>(
                (o, _) => Usable(o.OtlpEndpoint),
                "CodyBatch:Telemetry:OtlpEndpoint must be the http or https address of an OTLP/HTTP receiver, such as http://localhost:4318.")
            .Validate<IConfiguration>(
                (o, configuration) => !string.IsNullOrWhiteSpace(o.OtlpEndpoint) || Usable(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]),
                "OTEL_EXPORTER_OTLP_ENDPOINT must be the http or https address of an OTLP/HTTP receiver, such as http://localhost:4318.")
            .Validate<IConfiguration>(
                (_, configuration) => Usable(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]),
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be the full http or https URL of an OTLP/HTTP traces receiver, such as https://xray.us-east-1.amazonaws.com/v1/traces.")
            .Validate<IConfiguration>(
                (_, configuration) => Usable(configuration["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"]),
                "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT must be the full http or https URL of an OTLP/HTTP metrics receiver, such as https://monitoring.us-east-1.amazonaws.com/v1/metrics.");
        services.AddSingleton<TelemetryExport>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetryExport>());
        if (withWorker)
        {
            services.AddHostedService<QueueSampler>();
        }

        return services;
    }

    private static bool Usable(string? endpoint) =>
        string.IsNullOrWhiteSpace(endpoint)
        || (Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.Query));
}
