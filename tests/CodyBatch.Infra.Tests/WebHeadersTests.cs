namespace CodyBatch.Infra.Tests;

/// <summary>The web UI from S3 gets, through a CloudFront response headers policy, the security headers <c>serve</c> sends.</summary>
[Collection(SynthesizedStackCollection.Name)]
public sealed class WebHeadersTests(SynthesizedStack stack)
{
    private JsonNode Distribution => stack.Resources("AWS::CloudFront::Distribution").Single()["Properties"]!["DistributionConfig"]!;

    private JsonNode PolicyOn(JsonNode behavior) =>
        stack.Json["Resources"]![SynthesizedStack.Target(behavior["ResponseHeadersPolicyId"])!]!["Properties"]!["ResponseHeadersPolicyConfig"]!;

    [Fact]
    public void The_web_behaviour_sends_servess_content_security_policy_and_security_headers()
    {
        var policy = PolicyOn(Distribution["DefaultCacheBehavior"]!);
        var security = policy["SecurityHeadersConfig"]!;

        var csp = security["ContentSecurityPolicy"]!;
        Assert.Equal(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            csp["ContentSecurityPolicy"]!.GetValue<string>());
        Assert.Equal(CodyBatchStack.WebContentSecurityPolicy, csp["ContentSecurityPolicy"]!.GetValue<string>());
        Assert.True(csp["Override"]!.GetValue<bool>());
        Assert.True(security["ContentTypeOptions"]!["Override"]!.GetValue<bool>());
        Assert.Equal("DENY", security["FrameOptions"]!["FrameOption"]!.GetValue<string>());
        Assert.Equal("no-referrer", security["ReferrerPolicy"]!["ReferrerPolicy"]!.GetValue<string>());
        Assert.True(security["StrictTransportSecurity"]!["AccessControlMaxAgeSec"]!.GetValue<int>() >= 31_536_000);
        var custom = policy["CustomHeadersConfig"]!["Items"]!.AsArray().ToDictionary(h => h!["Header"]!.GetValue<string>(), h => h!["Value"]!.GetValue<string>());
        Assert.Equal("same-origin", custom["Cross-Origin-Opener-Policy"]);
        Assert.Equal("same-origin", custom["Cross-Origin-Resource-Policy"]);
        Assert.Equal("camera=(), microphone=(), geolocation=(), payment=(), usb=()", custom["Permissions-Policy"]);
    }

    [Fact]
    public void The_api_behaviour_keeps_the_headers_the_api_sends_itself()
    {
        var api = Distribution["CacheBehaviors"]!.AsArray().Single(b => b!["PathPattern"]!.GetValue<string>() == "/api/*")!;

        // The API's answers carry their own (stricter) policy from serve; a UI policy must not replace it.
        Assert.Null(api["ResponseHeadersPolicyId"]);
    }
}
