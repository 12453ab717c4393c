namespace CodyBatch.Testing.GitHub;

/// <summary>A pull request the fake GitHub holds: its JSON as GitHub serves it, and its reviews.</summary>
internal sealed class FakePull(string repository, JsonObject json)
{
    public string Repository { get; } = repository;

    public JsonObject Json { get; } = json;

    public int Number => Json["number"]!.GetValue<int>();

    public List<JsonObject> Reviews { get; } = [];
}
