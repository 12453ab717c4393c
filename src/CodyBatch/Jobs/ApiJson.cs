using System.Text.Json.Serialization;

namespace CodyBatch.Jobs;

/// <summary>How jobs look as JSON, in the API and in <c>codybatch run --json</c> alike.</summary>
internal static class ApiJson
{
    /// <summary>Options for writing API shapes outside a request (the CLI).</summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });

    /// <summary>camelCase names and enum values; nulls written, so every field is always there.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        return options;
    }
}
