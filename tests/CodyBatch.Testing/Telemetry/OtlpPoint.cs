namespace CodyBatch.Testing.Telemetry;

/// <summary>
/// One data point of one metric as an OTLP/HTTP export carried it: a sum's or gauge's value, or a histogram's
/// count and sum; with the metric's unit, whether it is a monotonic sum, and the point's attributes.
/// </summary>
public sealed record OtlpPoint(
    string Metric,
    string Unit,
    string Type,
    bool Monotonic,
    IReadOnlyDictionary<string, object?> Attributes,
    double Value,
    ulong Count,
    ulong TimeUnixNano);
