namespace CodyBatch.Tests;

public sealed class WebAppTests : IDisposable
{
    private readonly WebRootServer _server = new();

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData("/")]
    [InlineData("/jobs/01kaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("/new")]
    public async Task The_ui_loads_at_every_route_it_owns(string path)
    {
        var response = await _server.Factory.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Cody Batch</title>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assets_are_files_and_api_paths_never_fall_back_to_the_page()
    {
        var client = _server.Factory.CreateClient();

        var script = await client.GetAsync("/assets/app.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/nothing-here")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/assets/missing.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Assets_are_compressed_and_cached_as_immutable_and_the_page_is_revalidated()
    {
        File.WriteAllText(_server.Web.Combine("assets", "big.js"), string.Concat(Enumerable.Repeat("console.log('a fairly repetitive line');\n", 200)));
        var client = _server.Factory.CreateClient();

        using var asset = new HttpRequestMessage(HttpMethod.Get, "/assets/big.js");
        asset.Headers.AcceptEncoding.ParseAdd("br, gzip");
        var script = await client.SendAsync(asset);
        using var page = new HttpRequestMessage(HttpMethod.Get, "/jobs/01kaaaaaaaaaaaaaaaaaaaaaaa");
        page.Headers.AcceptEncoding.ParseAdd("gzip");
        var html = await client.SendAsync(page);
        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/templates");
        api.Headers.AcceptEncoding.ParseAdd("gzip");
        var json = await client.SendAsync(api);

        Assert.Equal(["br"], script.Content.Headers.ContentEncoding);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        var compressed = await script.Content.ReadAsByteArrayAsync();
        Assert.True(compressed.Length < 1000, $"{compressed.Length} bytes");
        using (var brotli = new System.IO.Compression.BrotliStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress))
        using (var reader = new StreamReader(brotli))
        {
            Assert.Equal(await File.ReadAllTextAsync(_server.Web.Combine("assets", "big.js")), await reader.ReadToEndAsync());
        }

        using var gzipOnly = new HttpRequestMessage(HttpMethod.Get, "/assets/big.js");
        gzipOnly.Headers.AcceptEncoding.ParseAdd("gzip");
        Assert.Equal(["gzip"], (await client.SendAsync(gzipOnly)).Content.Headers.ContentEncoding);
        var plain = await client.GetAsync("/assets/big.js");
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal(await File.ReadAllTextAsync(_server.Web.Combine("assets", "big.js")), await plain.Content.ReadAsStringAsync());
        Assert.Equal("public, max-age=31536000, immutable", script.Headers.CacheControl?.ToString());
        Assert.Equal("no-cache", html.Headers.CacheControl?.ToString());
        Assert.Equal(["gzip"], html.Content.Headers.ContentEncoding);
        Assert.Equal(["gzip"], json.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Templates_are_served_by_the_api()
    {
        var templates = (await (await _server.Factory.CreateClient().GetAsync("/api/templates")).JsonAsync()).AsArray();

        Assert.Equal(["security-fixes", "dependency-upgrade", "add-tests", "documentation"], templates.Select(t => t!["id"]!.GetValue<string>()));
        Assert.All(templates, t => Assert.False(string.IsNullOrWhiteSpace(t!["prompt"]!.GetValue<string>())));
    }
}
