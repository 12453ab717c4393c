using System.Text.Json;
using System.Text.Json.Nodes;

namespace CodyBatch.Claude.Tools;

/// <summary>Reads fields of a tool call's input, with an error Claude can act on when one is missing or of the wrong type.</summary>
internal static class ToolInput
{
    public static string RequiredString(JsonObject input, string name, string tool, bool allowEmpty = false) =>
        OptionalString(input, name, tool) is { } value && (allowEmpty || value.Length > 0)
            ? value
            : throw new ToolException($"{tool} needs \"{name}\" as a{(allowEmpty ? "" : " non-empty")} string.");

    public static string? OptionalString(JsonObject input, string name, string tool) => input[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw new ToolException($"{tool}: \"{name}\" must be a string."),
    };

    public static long RequiredInteger(JsonObject input, string name, string tool) =>
        input[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        && long.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ToolException($"{tool} needs \"{name}\" as a whole number.");

    public static double RequiredFraction(JsonObject input, string name, string tool) =>
        input[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        && double.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
        && number is >= 0 and <= 1
            ? number
            : throw new ToolException($"{tool} needs \"{name}\" as a number from 0 to 1.");

    public static bool RequiredBoolean(JsonObject input, string name, string tool) =>
        input[name] is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? value.GetValue<bool>()
            : throw new ToolException($"{tool} needs \"{name}\" as true or false.");
}
