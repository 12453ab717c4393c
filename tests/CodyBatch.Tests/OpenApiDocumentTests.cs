namespace CodyBatch.Tests;

/// <summary>The web UI's API types are generated from web/openapi.json; this keeps that file equal to what the server documents.</summary>
public sealed class OpenApiDocumentTests : IDisposable
{
    private readonly ApiFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task The_web_uis_copy_of_the_api_document_is_current()
    {
        var live = await (await _factory.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync();
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(TestEnvironment.RepositoryRoot(), "web", "openapi.json")))!;

        foreach (var part in new[] { "paths", "components", "tags" })
        {
            Assert.True(
                JsonNode.DeepEquals(live[part], committed[part]),
                $"web/openapi.json is out of date ({part}); run scripts/gen-api.sh (it saves the server's /openapi/v1.json there and runs npm run gen:api in web/).");
        }
    }
}
