namespace CodyBatch.Tests;

public sealed class ApiKeyTests : IDisposable
{
    private readonly ApiFactory _factory = new();

    public ApiKeyTests()
    {
        _factory.Settings["CodyBatch:ApiKeys:0"] = "first-key-0123456789";
        _factory.Settings["CodyBatch:ApiKeys:1"] = "second-key-abcdefghij";
    }

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key")]
    [InlineData("Bearer first-key-012345678")]
    [InlineData("Basic Zmlyc3Qta2V5LTAxMjM0NTY3ODk=")]
    public async Task Api_routes_without_a_valid_key_are_401_with_a_challenge(string? authorization)
    {
        var client = _factory.CreateClient();
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await client.GetAsync("/api/jobs");

        await JobsApiTests.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Send an API key of this server as 'Authorization: Bearer <key>'.");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("first-key-0123456789")]
    [InlineData("second-key-abcdefghij")]
    public async Task Any_configured_key_opens_the_api(string key)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.CreateJobAsync("acme/api")).StatusCode);
    }

    [Theory]
    [InlineData("first-key-0123456789", HttpStatusCode.OK)]
    [InlineData("wrong-key", HttpStatusCode.Unauthorized)]
    public async Task Behind_cloudfront_the_key_forwarded_next_to_cloudfronts_own_signature_is_checked(string key, HttpStatusCode expected)
    {
        // On AWS, CloudFront signs the request to the function URL in Authorization; a CloudFront Function copies the viewer's header.
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261129/eu-west-1/lambda/aws4_request, SignedHeaders=host, Signature=abc");
        client.DefaultRequestHeaders.TryAddWithoutValidation("X-CodyBatch-Authorization", $"Bearer {key}");

        Assert.Equal(expected, (await client.GetAsync("/api/jobs")).StatusCode);
    }

    [Fact]
    public async Task Health_needs_no_key()
    {
        var client = _factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }
}
