namespace CodyBatch.Infra.Tests;

/// <summary>Reading IAM grants out of the template.</summary>
public static class Policies
{
    /// <summary>Every statement of the inline policies attached to the role with logical id <paramref name="roleId"/>.</summary>
    public static List<JsonNode> StatementsOf(SynthesizedStack stack, string roleId) =>
    [
        .. stack.Resources("AWS::IAM::Policy")
            .Where(p => p["Properties"]!["Roles"]!.AsArray().Any(r => SynthesizedStack.Target(r) == roleId))
            .SelectMany(p => p["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(s => s!),
    ];

    /// <summary>The actions of a statement.</summary>
    public static List<string> Actions(JsonNode statement) => statement["Action"] switch
    {
        JsonArray many => [.. many.Select(a => a!.GetValue<string>())],
        JsonNode one => [one.GetValue<string>()],
        _ => [],
    };

    /// <summary>The resources of a statement, as JSON text (they are often intrinsic functions).</summary>
    public static List<string> Resources(JsonNode statement) => statement["Resource"] switch
    {
        JsonArray many => [.. many.Select(a => a!.ToJsonString())],
        JsonNode one => [one.ToJsonString()],
        _ => [],
    };
}
