namespace CodyBatch.Infra.Tests.EventBridge;

/// <summary>
/// EventBridge's pattern matching as its documentation (and the event-ruler library behind it) describes it, for
/// the operators our patterns may use. The event is flattened into leaf paths (<c>dynamodb.NewImage.id.S</c>);
/// arrays contribute each element at the array's own path. A pattern's leaf is an array of matchers, any of which
/// may match (OR); all of a pattern's fields must match (AND). Matchers test leaf values only: <c>exists</c> asks
/// whether a leaf sits at exactly that path, so it is never true of an object such as <c>{"S":"OPEN"}</c>.
/// An operator this class does not know fails the test instead of matching.
/// </summary>
public static class EventPattern
{
    public static bool Matches(string pattern, JsonNode record)
    {
        var leaves = new Dictionary<string, List<JsonValue?>>(StringComparer.Ordinal);
        Flatten(record, string.Empty, leaves);
        return MatchesObject(JsonNode.Parse(pattern)!.AsObject(), string.Empty, leaves);
    }

    private static bool MatchesObject(JsonObject pattern, string prefix, Dictionary<string, List<JsonValue?>> leaves)
    {
        foreach (var (name, value) in pattern)
        {
            var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
            var matched = value switch
            {
                JsonObject nested => MatchesObject(nested, path, leaves),
                JsonArray matchers => MatchesLeaf(matchers, leaves.GetValueOrDefault(path) ?? []),
                _ => throw new InvalidOperationException($"Pattern field {path} must be an object or an array of matchers."),
            };
            if (!matched)
            {
                return false;
            }
        }

        return true;
    }

    private static bool MatchesLeaf(JsonArray matchers, List<JsonValue?> values) => matchers.Any(matcher => matcher switch
    {
        JsonObject op => MatchesOperator(op, values),
        null => values.Any(v => v is null),
        JsonValue literal => values.Any(v => v is not null && Equal(literal, v)),
        _ => throw new InvalidOperationException("A matcher is a value or an operator object."),
    });

    private static bool MatchesOperator(JsonObject op, List<JsonValue?> values)
    {
        if (op.Count != 1)
        {
            throw new InvalidOperationException($"An operator object has one field: {op.ToJsonString()}.");
        }

        var (name, argument) = op.First();
        var strings = values.Where(v => v is not null && v.GetValueKind() == System.Text.Json.JsonValueKind.String).Select(v => v!.GetValue<string>()).ToList();
        return name switch
        {
            "exists" => argument!.GetValue<bool>() == (values.Count > 0),
            "prefix" => strings.Any(s => s.StartsWith(argument!.GetValue<string>(), StringComparison.Ordinal)),
            "suffix" => strings.Any(s => s.EndsWith(argument!.GetValue<string>(), StringComparison.Ordinal)),
            "equals-ignore-case" => strings.Any(s => string.Equals(s, argument!.GetValue<string>(), StringComparison.OrdinalIgnoreCase)),
            "anything-but" => values.Count > 0 && values.All(v => !AnythingButExcludes(argument!, v)),
            "numeric" => values.Any(v => v is not null && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && Numeric(argument!.AsArray(), v.GetValue<double>())),
            _ => throw new InvalidOperationException($"The operator \"{name}\" is not implemented here; add it with its documented meaning."),
        };
    }

    // anything-but: a value, a list of values, or {"prefix": ...}; the field must exist and no value may be excluded.
    private static bool AnythingButExcludes(JsonNode argument, JsonValue? value) => argument switch
    {
        JsonArray list => list.Any(item => item is JsonValue literal && value is not null && Equal(literal, value)),
        JsonObject { Count: 1 } inner when inner.ContainsKey("prefix") =>
            value is not null && value.GetValueKind() == System.Text.Json.JsonValueKind.String && value.GetValue<string>().StartsWith(inner["prefix"]!.GetValue<string>(), StringComparison.Ordinal),
        JsonValue literal => value is not null && Equal(literal, value),
        _ => throw new InvalidOperationException($"anything-but takes a value, a list or a prefix: {argument.ToJsonString()}."),
    };

    private static bool Numeric(JsonArray conditions, double number)
    {
        for (var i = 0; i < conditions.Count; i += 2)
        {
            var bound = conditions[i + 1]!.GetValue<double>();
            var ok = conditions[i]!.GetValue<string>() switch
            {
                "=" => number == bound,
                "<" => number < bound,
                "<=" => number <= bound,
                ">" => number > bound,
                ">=" => number >= bound,
                var other => throw new InvalidOperationException($"Unknown numeric comparison {other}."),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    // Strings match strings exactly; numbers match numbers by value; booleans match booleans.
    private static bool Equal(JsonValue pattern, JsonValue value) =>
        pattern.GetValueKind() == value.GetValueKind() && pattern.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => pattern.GetValue<string>() == value.GetValue<string>(),
            System.Text.Json.JsonValueKind.Number => pattern.GetValue<double>() == value.GetValue<double>(),
            _ => pattern.ToJsonString() == value.ToJsonString(),
        };

    private static void Flatten(JsonNode? node, string path, Dictionary<string, List<JsonValue?>> leaves)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    Flatten(child, path.Length == 0 ? name : $"{path}.{name}", leaves);
                }

                break;
            case JsonArray array:
                foreach (var element in array)
                {
                    Flatten(element, path, leaves);
                }

                break;
            default:
                if (!leaves.TryGetValue(path, out var list))
                {
                    leaves[path] = list = [];
                }

                list.Add((JsonValue?)node);
                break;
        }
    }

    /// <summary>The value a pipe's target parameter such as <c>$.dynamodb.NewImage.id.S</c> takes from the record.</summary>
    public static string? Select(string jsonPath, JsonNode record)
    {
        JsonNode? node = record;
        foreach (var part in jsonPath.TrimStart('$').Trim('.').Split('.'))
        {
            node = node?[part];
        }

        return node?.GetValue<string>();
    }
}
