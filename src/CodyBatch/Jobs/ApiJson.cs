using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CodyBatch.Jobs;

/// <summary>How jobs look as JSON, in the API and in <c>codybatch run --json</c> alike.</summary>
internal static class ApiJson
{
    /// <summary>Options for writing API shapes outside a request (the CLI).</summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });

    /// <summary>
    /// camelCase names and enum values; nulls written, so every field is always there. The API's types take their
    /// metadata from <see cref="ApiJsonContext"/>, any other type from reflection as before.
    /// </summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        if (options.TypeInfoResolverChain.Count == 0)
        {
            // Options made here have no resolver yet (reflection is their default only while the chain is empty).
            options.TypeInfoResolverChain.Add(new DefaultJsonTypeInfoResolver());
        }

        options.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        return options;
    }
}
