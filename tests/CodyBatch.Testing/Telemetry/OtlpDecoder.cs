namespace CodyBatch.Testing.Telemetry;

/// <summary>
/// Decodes OTLP's protobuf messages (opentelemetry/proto trace/v1, metrics/v1, common/v1, resource/v1) with
/// <see cref="ProtoReader"/>: the fields the tests look at, every other field skipped as the wire format allows.
/// </summary>
public static class OtlpDecoder
{
    /// <summary>An <c>ExportTraceServiceRequest</c>: resource_spans (1) → resource (1), scope_spans (2) → scope (1), spans (2).</summary>
    public static void Traces(ReadOnlySpan<byte> request, Action<OtlpSpan> add)
    {
        var reader = new ProtoReader(request);
        while (reader.Next())
        {
            if (reader.Field != 1)
            {
                reader.Skip();
                continue;
            }

            var resourceSpans = new ProtoReader(reader.Bytes());
            IReadOnlyDictionary<string, object?> resource = new Dictionary<string, object?>();
            var scopes = new List<byte[]>();
            while (resourceSpans.Next())
            {
                switch (resourceSpans.Field)
                {
                    case 1: resource = Resource(resourceSpans.Bytes()); break;
                    case 2: scopes.Add(resourceSpans.Bytes().ToArray()); break;
                    default: resourceSpans.Skip(); break;
                }
            }

            foreach (var scopeSpans in scopes)
            {
                var scope = new ProtoReader(scopeSpans);
                var name = "";
                var spans = new List<byte[]>();
                while (scope.Next())
                {
                    switch (scope.Field)
                    {
                        case 1: name = ScopeName(scope.Bytes()); break;
                        case 2: spans.Add(scope.Bytes().ToArray()); break;
                        default: scope.Skip(); break;
                    }
                }

                foreach (var span in spans)
                {
                    add(Span(span, name, resource));
                }
            }
        }
    }

    /// <summary>An <c>ExportMetricsServiceRequest</c>: resource_metrics (1) → scope_metrics (2) → metrics (2).</summary>
    public static void Metrics(ReadOnlySpan<byte> request, Action<OtlpPoint> add)
    {
        var reader = new ProtoReader(request);
        while (reader.Next())
        {
            if (reader.Field != 1)
            {
                reader.Skip();
                continue;
            }

            var resourceMetrics = new ProtoReader(reader.Bytes());
            while (resourceMetrics.Next())
            {
                if (resourceMetrics.Field != 2)
                {
                    resourceMetrics.Skip();
                    continue;
                }

                var scope = new ProtoReader(resourceMetrics.Bytes());
                while (scope.Next())
                {
                    if (scope.Field == 2)
                    {
                        Metric(scope.Bytes(), add);
                    }
                    else
                    {
                        scope.Skip();
                    }
                }
            }
        }
    }

    // Span: trace_id 1, span_id 2, parent_span_id 4, name 5, kind 6, start 7, end 8 (fixed64), attributes 9, status 15 (code 3).
    private static OtlpSpan Span(ReadOnlySpan<byte> bytes, string scope, IReadOnlyDictionary<string, object?> resource)
    {
        var reader = new ProtoReader(bytes);
        string traceId = "", spanId = "", name = "";
        string? parent = null;
        int kind = 0, status = 0;
        ulong start = 0, end = 0;
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: traceId = Convert.ToHexStringLower(reader.Bytes()); break;
                case 2: spanId = Convert.ToHexStringLower(reader.Bytes()); break;
                case 4: var p = reader.Bytes(); parent = p.IsEmpty ? null : Convert.ToHexStringLower(p); break;
                case 5: name = reader.String(); break;
                case 6: kind = (int)reader.Varint(); break;
                case 7: start = reader.Fixed64(); break;
                case 8: end = reader.Fixed64(); break;
                case 9: KeyValue(reader.Bytes(), attributes); break;
                case 15: status = StatusCode(reader.Bytes()); break;
                default: reader.Skip(); break;
            }
        }

        if (traceId.Length != 32 || spanId.Length != 16 || (parent is not null && parent.Length != 16))
        {
            throw new FormatException($"Span \"{name}\" has ids of the wrong length (trace {traceId.Length / 2} bytes, span {spanId.Length / 2}).");
        }

        return new OtlpSpan(traceId, spanId, parent, name, kind, start, end, attributes, status, scope, resource);
    }

    // Metric: name 1, unit 3, gauge 5, sum 7, histogram 9 (others skipped).
    private static void Metric(ReadOnlySpan<byte> bytes, Action<OtlpPoint> add)
    {
        var reader = new ProtoReader(bytes);
        string name = "", unit = "";
        var data = new List<(string Type, byte[] Bytes)>();
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: name = reader.String(); break;
                case 3: unit = reader.String(); break;
                case 5: data.Add(("gauge", reader.Bytes().ToArray())); break;
                case 7: data.Add(("sum", reader.Bytes().ToArray())); break;
                case 9: data.Add(("histogram", reader.Bytes().ToArray())); break;
                default: reader.Skip(); break;
            }
        }

        foreach (var (type, body) in data)
        {
            // Gauge / Sum / Histogram: data_points 1; Sum: is_monotonic 3.
            var points = new List<byte[]>();
            var monotonic = false;
            var inner = new ProtoReader(body);
            while (inner.Next())
            {
                switch (inner.Field)
                {
                    case 1: points.Add(inner.Bytes().ToArray()); break;
                    case 3 when type == "sum": monotonic = inner.Varint() != 0; break;
                    default: inner.Skip(); break;
                }
            }

            foreach (var point in points)
            {
                add(type == "histogram" ? HistogramPoint(name, unit, point) : NumberPoint(name, unit, type, monotonic, point));
            }
        }
    }

    // NumberDataPoint: time 3, as_double 4, as_int 6 (sfixed64), attributes 7.
    private static OtlpPoint NumberPoint(string metric, string unit, string type, bool monotonic, ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        double value = 0;
        ulong time = 0;
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 3: time = reader.Fixed64(); break;
                case 4: value = reader.Double(); break;
                case 6: value = (long)reader.Fixed64(); break;
                case 7: KeyValue(reader.Bytes(), attributes); break;
                default: reader.Skip(); break;
            }
        }

        return new OtlpPoint(metric, unit, type, monotonic, attributes, value, 0, time);
    }

    // HistogramDataPoint: time 3, count 4 (fixed64), sum 5 (double), attributes 9.
    private static OtlpPoint HistogramPoint(string metric, string unit, ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        double sum = 0;
        ulong count = 0, time = 0;
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 3: time = reader.Fixed64(); break;
                case 4: count = reader.Fixed64(); break;
                case 5: sum = reader.Double(); break;
                case 9: KeyValue(reader.Bytes(), attributes); break;
                default: reader.Skip(); break;
            }
        }

        return new OtlpPoint(metric, unit, "histogram", false, attributes, sum, count, time);
    }

    // Resource: attributes 1.
    private static Dictionary<string, object?> Resource(ReadOnlySpan<byte> bytes)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        var reader = new ProtoReader(bytes);
        while (reader.Next())
        {
            if (reader.Field == 1)
            {
                KeyValue(reader.Bytes(), attributes);
            }
            else
            {
                reader.Skip();
            }
        }

        return attributes;
    }

    // InstrumentationScope: name 1.
    private static string ScopeName(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        var name = "";
        while (reader.Next())
        {
            if (reader.Field == 1)
            {
                name = reader.String();
            }
            else
            {
                reader.Skip();
            }
        }

        return name;
    }

    // Status: code 3.
    private static int StatusCode(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        var code = 0;
        while (reader.Next())
        {
            if (reader.Field == 3)
            {
                code = (int)reader.Varint();
            }
            else
            {
                reader.Skip();
            }
        }

        return code;
    }

    // KeyValue: key 1, value 2 (AnyValue).
    private static void KeyValue(ReadOnlySpan<byte> bytes, Dictionary<string, object?> into)
    {
        var reader = new ProtoReader(bytes);
        string? key = null;
        object? value = null;
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: key = reader.String(); break;
                case 2: value = AnyValue(reader.Bytes()); break;
                default: reader.Skip(); break;
            }
        }

        into[key ?? throw new FormatException("An attribute has no key.")] = value;
    }

    // AnyValue: string 1, bool 2, int 3, double 4, array 5 (values 1), kvlist 6, bytes 7.
    private static object? AnyValue(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        object? value = null;
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: value = reader.String(); break;
                case 2: value = reader.Varint() != 0; break;
                case 3: value = (long)reader.Varint(); break;
                case 4: value = reader.Double(); break;
                case 5: value = ArrayValue(reader.Bytes()); break;
                case 7: value = Convert.ToBase64String(reader.Bytes()); break;
                default: value = $"(field {reader.Field.ToString(CultureInfo.InvariantCulture)})"; reader.Skip(); break;
            }
        }

        return value;
    }

    private static string[] ArrayValue(ReadOnlySpan<byte> bytes)
    {
        var values = new List<string>();
        var reader = new ProtoReader(bytes);
        while (reader.Next())
        {
            if (reader.Field == 1)
            {
                values.Add(Convert.ToString(AnyValue(reader.Bytes()), CultureInfo.InvariantCulture) ?? "");
            }
            else
            {
                reader.Skip();
            }
        }

        return [.. values];
    }
}
