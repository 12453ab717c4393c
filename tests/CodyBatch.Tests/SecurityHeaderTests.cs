namespace CodyBatch.Tests;

/// <summary>Security headers on the UI and the API, and the Host allow-list of a server without keys.</summary>
public sealed class SecurityHeaderTests : IDisposable
{
    private readonly WebRootServer _server = new();

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData("/", "img-src 'self' data:")]
    [InlineData("/jobs/01kaaaaaaaaaaaaaaaaaaaaaaa", "img-src 'self' data:")]
    [InlineData("/assets/app.js", "img-src 'self' data:")]
    [InlineData("/assets/missing.js", "img-src 'self' data:")]
    [InlineData("/api/jobs", "default-src 'none'")]
    [InlineData("/api/jobs/01kaaaaaaaaaaaaaaaaaaaaaaa", "default-src 'none'")]
    [InlineData("/openapi/v1.json", "default-src 'none'")]
    public async Task Every_answer_carries_the_security_headers(string path, string policyPart)
    {
        var response = await _server.Factory.CreateClient().GetAsync(path);

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains(policyPart, policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("*", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Cross-Origin-Opener-Policy").Single());
    }

    [Theory]
    [InlineData("GET", "/api/jobs")]
    [InlineData("POST", "/api/jobs")]
    [InlineData("GET", "/")]
    public async Task Without_api_keys_a_forged_host_is_refused(string method, string path)
    {
        var client = _server.Factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? JsonContent.Create(new { prompt = "Append a line", repositories = new[] { "acme/api" } }) : null,
        };
        request.Headers.Host = "rebind.attacker.example:5080";

        var response = await client.SendAsync(request);

        await JobsApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, null);
        Assert.Contains("CodyBatch:AllowedHosts", (await response.JsonAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var list = await (await client.GetAsync("/api/jobs")).JsonAsync();
        Assert.Empty(list["items"]!.AsArray());
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:5080")]
    [InlineData("[::1]:5080")]
    [InlineData("codybatch.internal")]
    public async Task Loopback_names_and_allowed_hosts_are_answered(string host)
    {
        _server.Factory.Settings["CodyBatch:AllowedHosts:0"] = "codybatch.internal";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs");
        request.Headers.Host = host;

        Assert.Equal(HttpStatusCode.OK, (await _server.Factory.CreateClient().SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task With_api_keys_any_host_is_answered_because_the_key_is_the_guard()
    {
        _server.Factory.Settings["CodyBatch:ApiKeys:0"] = "a-key-0123456789abcdef";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs");
        request.Headers.Host = "codybatch.example.com";
        request.Headers.Authorization = new("Bearer", "a-key-0123456789abcdef");

        Assert.Equal(HttpStatusCode.OK, (await _server.Factory.CreateClient().SendAsync(request)).StatusCode);
    }
}
