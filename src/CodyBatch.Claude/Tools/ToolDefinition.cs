using System.Text.Json.Nodes;

namespace CodyBatch.Claude.Tools;

/// <summary>Client tool definitions as the Messages API takes them: a name, a description and the JSON schema of the input object.</summary>
internal static class ToolDefinition
{
    /// <summary>A tool whose input is an object with <paramref name="properties"/>, of which <paramref name="required"/> must be given (none: the key is left out).</summary>
    public static JsonObject Of(string name, string description, JsonObject properties, params string[] required)
    {
        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (required.Length > 0)
        {
            schema["required"] = new JsonArray([.. required.Select(r => (JsonNode)r)]);
        }

        return new JsonObject { ["name"] = name, ["description"] = description, ["input_schema"] = schema };
    }

    /// <summary>A string property.</summary>
    public static JsonObject Text(string description) => new() { ["type"] = "string", ["description"] = description };

    /// <summary>A true/false property.</summary>
    public static JsonObject Flag(string description) => new() { ["type"] = "boolean", ["description"] = description };
}
