using CodyBatch.Security;
using Microsoft.Extensions.Primitives;

namespace CodyBatch.Tests.Security;

/// <summary>How a presented API key is read from a header value.</summary>
public sealed class BearerCredentialsTests
{
    [Theory]
    [InlineData("Bearer k-1")]
    [InlineData("bearer k-1")]
    [InlineData("BEARER k-1")]
    [InlineData("Bearer    k-1")]
    [InlineData("Bearer\tk-1")]
    [InlineData("  Bearer k-1  ")]
    public void Every_spelling_of_one_bearer_credential_reads_as_the_same_key(string header)
    {
        Assert.Equal("k-1", BearerCredentials.Parse(new StringValues(header)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer   ")]
    [InlineData("Bearerk-1")]
    [InlineData("Basic azox")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20261201/eu-west-1/lambda/aws4_request, SignedHeaders=host, Signature=abc")]
    public void Anything_else_presents_no_key(string header)
    {
        Assert.Null(BearerCredentials.Parse(new StringValues(header)));
    }

    [Fact]
    public void Two_authorization_headers_present_no_key()
    {
        Assert.Null(BearerCredentials.Parse(new StringValues(["Bearer k-1", "Bearer k-2"])));
    }
}
