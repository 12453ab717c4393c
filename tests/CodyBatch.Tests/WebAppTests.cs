using System.Net;
using CodyBatch.Testing;

namespace CodyBatch.Tests;

public sealed class WebAppTests : IDisposable
{
    private readonly TempDirectory _web = new("codybatch-web");
    private readonly ApiFactory _factory = new();

    public WebAppTests()
    {
        File.WriteAllText(_web.Combine("index.html"), "<!doctype html><title>Cody Batch</title><div id=root></div>");
        Directory.CreateDirectory(_web.Combine("assets"));
        File.WriteAllText(_web.Combine("assets", "app.js"), "console.log('app')");
        _factory.Settings["CodyBatch:WebRoot"] = _web.Path;
    }

    public void Dispose()
    {
        _factory.Dispose();
        _web.Dispose();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/jobs/01kaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("/new")]
    public async Task The_ui_loads_at_every_route_it_owns(string path)
    {
        var response = await _factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Cody Batch</title>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assets_are_files_and_api_paths_never_fall_back_to_the_page()
    {
        var client = _factory.CreateClient();

        var script = await client.GetAsync("/assets/app.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/nothing-here")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/assets/missing.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Templates_are_served_by_the_api()
    {
        var templates = (await (await _factory.CreateClient().GetAsync("/api/templates")).JsonAsync()).AsArray();

        Assert.Equal(["security-fixes", "dependency-upgrade", "add-tests", "documentation"], templates.Select(t => t!["id"]!.GetValue<string>()));
        Assert.All(templates, t => Assert.False(string.IsNullOrWhiteSpace(t!["prompt"]!.GetValue<string>())));
    }
}
