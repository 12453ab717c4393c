namespace CodyBatch.Testing.Telemetry;

/// <summary>One span as an OTLP/HTTP export carried it (ids in lowercase hex, attributes as strings, longs, doubles, booleans or string arrays).</summary>
public sealed record OtlpSpan(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    int Kind,
    ulong StartTimeUnixNano,
    ulong EndTimeUnixNano,
    IReadOnlyDictionary<string, object?> Attributes,
    int StatusCode,
    string Scope,
    IReadOnlyDictionary<string, object?> Resource)
{
    /// <summary>An attribute as text, or null.</summary>
    public string? Text(string key) => Attributes.TryGetValue(key, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}
