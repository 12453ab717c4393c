using System.Diagnostics;

namespace CodyBatch.Infra.Tests;

/// <summary>CloudFront in front of the web UI and the API: a private function URL, both invoke permissions, the SPA fallback.</summary>
[Collection(SynthesizedStackCollection.Name)]
public sealed class EdgeTests(SynthesizedStack stack)
{
    private JsonNode Distribution => stack.Resources("AWS::CloudFront::Distribution").Single()["Properties"]!["DistributionConfig"]!;

    private string DistributionId => stack.Named("AWS::CloudFront::Distribution").Single().Id;

    private string ApiId => stack.Named("AWS::Lambda::Function").Single(f => f.Resource["Properties"]!["PackageType"]?.GetValue<string>() == "Image").Id;

    [Fact]
    public void The_function_url_takes_only_signed_requests_and_streams_its_responses()
    {
        var url = stack.Resources("AWS::Lambda::Url").Single()["Properties"]!;

        Assert.Equal("AWS_IAM", url["AuthType"]!.GetValue<string>());
        Assert.Equal("RESPONSE_STREAM", url["InvokeMode"]!.GetValue<string>());
        var api = stack.Resources("AWS::Lambda::Function").Single(f => f["Properties"]!["PackageType"]?.GetValue<string>() == "Image");
        Assert.Equal("response_stream", api["Properties"]!["Environment"]!["Variables"]!["AWS_LWA_INVOKE_MODE"]!.GetValue<string>());
    }

    [Fact]
    public void Cloudfront_signs_requests_to_the_function_url_with_origin_access_control()
    {
        var origin = Distribution["Origins"]!.AsArray().Single(o => o!["DomainName"]!.ToJsonString().Contains("FunctionUrl", StringComparison.Ordinal))!;
        var oacId = SynthesizedStack.Target(origin["OriginAccessControlId"]);
        var oac = stack.Json["Resources"]![oacId!]!["Properties"]!["OriginAccessControlConfig"]!;

        Assert.Equal("lambda", oac["OriginAccessControlOriginType"]!.GetValue<string>());
        Assert.Equal("always", oac["SigningBehavior"]!.GetValue<string>());
        Assert.Equal("sigv4", oac["SigningProtocol"]!.GetValue<string>());
    }

    [Fact]
    public void Only_the_distribution_may_invoke_and_it_has_both_actions_function_urls_need()
    {
        var permissions = stack.Resources("AWS::Lambda::Permission").Select(p => p["Properties"]!).Where(p => SynthesizedStack.Target(p["FunctionName"]) == ApiId).ToList();

        Assert.Equal(["lambda:InvokeFunction", "lambda:InvokeFunctionUrl"], permissions.Select(p => p["Action"]!.GetValue<string>()).Order());
        Assert.All(permissions, p =>
        {
            Assert.Equal("cloudfront.amazonaws.com", p["Principal"]!.GetValue<string>());
            Assert.Contains(DistributionId, p["SourceArn"]!.ToJsonString(), StringComparison.Ordinal);
        });
        Assert.Equal("AWS_IAM", permissions.Single(p => p["Action"]!.GetValue<string>() == "lambda:InvokeFunctionUrl")["FunctionUrlAuthType"]!.GetValue<string>());
        Assert.DoesNotContain(stack.Resources("AWS::Lambda::Permission"), p => p["Properties"]!["Principal"]!.GetValue<string>() == "*");
    }

    [Fact]
    public void The_spa_fallback_is_a_cloudfront_function_on_the_web_behaviour_only_and_error_pages_stay_untouched()
    {
        var spa = FunctionOn(Distribution["DefaultCacheBehavior"]!);
        var api = Distribution["CacheBehaviors"]!.AsArray().Single(b => b!["PathPattern"]!.GetValue<string>() == "/api/*")!;

        Assert.NotNull(spa);
        Assert.NotEqual(spa, FunctionOn(api));
        Assert.Null(Distribution["CustomErrorResponses"]);
        var code = stack.Json["Resources"]![spa]!["Properties"]!["FunctionCode"]!.GetValue<string>();
        Assert.Equal("/index.html", RunViewerRequest(code, "/jobs/01JABCDEF")["uri"]!.GetValue<string>());
        Assert.Equal("/index.html", RunViewerRequest(code, "/")["uri"]!.GetValue<string>());
        Assert.Equal("/assets/app-1a2b.js", RunViewerRequest(code, "/assets/app-1a2b.js")["uri"]!.GetValue<string>());
    }

    [Fact]
    public void The_api_behaviour_keeps_the_viewers_api_key_that_cloudfront_signing_would_replace()
    {
        var api = Distribution["CacheBehaviors"]!.AsArray().Single(b => b!["PathPattern"]!.GetValue<string>() == "/api/*")!;
        var code = stack.Json["Resources"]![FunctionOn(api)!]!["Properties"]!["FunctionCode"]!.GetValue<string>();

        var request = RunViewerRequest(code, "/api/jobs", """{"authorization":{"value":"Bearer k-123"}}""");

        Assert.Equal("Bearer k-123", request["headers"]![CodyBatchStack.ForwardedAuthorizationHeader]!["value"]!.GetValue<string>());
        Assert.Equal("/api/jobs", request["uri"]!.GetValue<string>());
    }

    private static string? FunctionOn(JsonNode behavior) =>
        behavior["FunctionAssociations"]?.AsArray().Where(a => a!["EventType"]!.GetValue<string>() == "viewer-request")
            .Select(a => SynthesizedStack.Target(a!["FunctionARN"])).SingleOrDefault();

    // Runs the function as CloudFront would on a viewer request (node runs the cloudfront-js-2.0 subset).
    private static JsonNode RunViewerRequest(string code, string uri, string headers = "{}")
    {
        using var folder = new TempDirectory("codybatch-cf-function");
        var script = Path.Combine(folder.Path, "function.js");
        File.WriteAllText(script, code + $"\nconsole.log(JSON.stringify(handler({{ request: {{ method: 'GET', uri: '{uri}', querystring: {{}}, headers: {headers}, cookies: {{}} }} }})));\n");
        using var node = Process.Start(new ProcessStartInfo("node", [script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = node.StandardOutput.ReadToEnd();
        var error = node.StandardError.ReadToEnd();
        node.WaitForExit();
        Assert.True(node.ExitCode == 0, error);
        return JsonNode.Parse(output)!;
    }
}
