using System.Reflection;
using System.Text.Json;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CodyBatch.Jobs;

namespace CodyBatch.Tests;

/// <summary>
/// The API's JSON metadata comes from a source-generated context; the web client and the API's callers depend on
/// the JSON being exactly what reflection made before. These compare the two, type by type, over every type the
/// context's types reach.
/// </summary>
public sealed class ApiJsonContextTests
{
    private static readonly JsonSerializerOptions Generated = ApiJson.Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    // What the API used before the context: the same settings, reflection only.
    private static readonly JsonSerializerOptions Reflection = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    public static TheoryData<string> ListedTypes() => [.. Listed().Select(t => t.FullName!)];

    [Theory]
    [MemberData(nameof(ListedTypes))]
    public void Every_listed_type_and_what_it_reaches_has_the_same_json_shape_as_by_reflection(string typeName)
    {
        var type = Listed().Single(t => t.FullName == typeName);
        Assert.NotNull(((IJsonTypeInfoResolver)ApiJsonContext.Default).GetTypeInfo(type, Generated));

        var seen = new HashSet<Type>();
        Compare(type, seen, path: type.Name);
        Assert.NotEmpty(seen);

        // The JSON schema configures every type in full (constructor parameters too) and is what the OpenAPI
        // document is made from.
        Assert.Equal(
            JsonSchemaExporter.GetJsonSchemaAsNode(Reflection, type).ToJsonString(),
            JsonSchemaExporter.GetJsonSchemaAsNode(Generated, type).ToJsonString());
    }

    [Fact]
    public void The_api_and_the_cli_resolve_listed_types_from_the_context_and_others_by_reflection()
    {
        foreach (var options in new[] { ApiJson.Options, ApiJson.Configure(new Microsoft.AspNetCore.Http.Json.JsonOptions().SerializerOptions) })
        {
            Assert.Same(ApiJsonContext.Default, options.TypeInfoResolverChain[0]);
            Assert.IsType<DefaultJsonTypeInfoResolver>(options.TypeInfoResolverChain[^1]);
        }

        // A type the context does not list still serializes, as it did.
        Assert.Equal("""{"repository":"o/r","attempts":2}""", JsonSerializer.Serialize(new { Repository = "o/r", Attempts = 2 }, Generated));
    }

    [Fact]
    public void A_request_body_reads_and_a_response_writes_as_before()
    {
        const string body = """{"prompt":"p","repositories":["o/r"],"mode":"patch","budgetUsd":1.5,"shell":null,"publish":{"draft":true}}""";
        var generated = JsonSerializer.Deserialize<CreateJobRequest>(body, Generated)!;
        var reflected = JsonSerializer.Deserialize<CreateJobRequest>(body, Reflection)!;
        Assert.Equal(JsonSerializer.Serialize(reflected, Reflection), JsonSerializer.Serialize(generated, Generated));

        var stage = new JobStageEvent("o/r", RunStatus.Analyzing, 1, null);
        Assert.Equal("""{"repository":"o/r","status":"analyzing","attempts":1,"error":null}""", JsonSerializer.Serialize(stage, Generated));
        Assert.Equal(JsonSerializer.Serialize(stage, Reflection), JsonSerializer.Serialize(stage, Generated));
    }

    private static IEnumerable<Type> Listed() =>
        typeof(ApiJsonContext).GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(JsonSerializableAttribute))
            .Select(a => (Type)a.ConstructorArguments[0].Value!);

    private static void Compare(Type type, HashSet<Type> seen, string path)
    {
        if (!seen.Add(type))
        {
            return;
        }

        var generated = Generated.GetTypeInfo(type);
        var reflected = Reflection.GetTypeInfo(type);
        Assert.True(generated.Kind == reflected.Kind, $"{path}: kind {generated.Kind}, by reflection {reflected.Kind}");
        // Objects and collections get the generator's wrapper around the same strategy; values (enums, numbers,
        // strings, dates) must get the very same converter.
        Assert.True(
            reflected.Kind != JsonTypeInfoKind.None || generated.Converter.GetType() == reflected.Converter.GetType(),
            $"{path}: converter {generated.Converter.GetType()}, by reflection {reflected.Converter.GetType()}");
        Assert.True(generated.NumberHandling == reflected.NumberHandling, $"{path}: number handling");
        Assert.True(generated.UnmappedMemberHandling == reflected.UnmappedMemberHandling, $"{path}: unmapped members");
        Assert.True(
            (generated.PolymorphismOptions?.DerivedTypes.Count ?? 0) == (reflected.PolymorphismOptions?.DerivedTypes.Count ?? 0),
            $"{path}: derived types");

        var generatedProperties = generated.Properties.Select(Describe).ToList();
        var reflectedProperties = reflected.Properties.Select(Describe).ToList();
        Assert.True(
            generatedProperties.SequenceEqual(reflectedProperties),
            $"{path}: properties\n  generated:  {string.Join(", ", generatedProperties)}\n  reflection: {string.Join(", ", reflectedProperties)}");

        foreach (var property in reflected.Properties)
        {
            Compare(property.PropertyType, seen, $"{path}.{property.Name}");
        }

        if (reflected.ElementType is { } element)
        {
            Compare(element, seen, $"{path}[]");
        }

        if (reflected.KeyType is { } key)
        {
            Compare(key, seen, $"{path}{{key}}");
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            Compare(underlying, seen, $"{path}?");
        }
    }

    // Not compared: whether an init-only property is set through the constructor (the generator's way) or after it
    // (reflection's); the JSON read and written is the same.
    private static string Describe(JsonPropertyInfo p) =>
        $"{p.Name}:{p.PropertyType.Name} order={p.Order} get={p.Get is not null} set={p.Set is not null} " +
        $"required={p.IsRequired} extension={p.IsExtensionData} converter={p.CustomConverter?.GetType().Name} " +
        $"condition={p.ShouldSerialize is not null} handling={p.NumberHandling} creation={p.ObjectCreationHandling} " +
        $"getNull={p.IsGetNullable} setNull={p.IsSetNullable}";
}
