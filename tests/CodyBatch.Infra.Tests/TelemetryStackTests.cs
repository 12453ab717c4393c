namespace CodyBatch.Infra.Tests;

/// <summary>Telemetry to a collector the operator runs: its address reaches the API function, the worker and the sweep, and nothing else does.</summary>
public sealed class TelemetryStackTests(CollectorTelemetryStack stack) : IClassFixture<CollectorTelemetryStack>
{
    [Fact]
    public void The_collectors_address_reaches_the_api_the_worker_and_the_sweep_and_no_headers_are_wired()
    {
        var api = stack.Resources("AWS::Lambda::Function").Single(f => f["Properties"]!["PackageType"]?.GetValue<string>() == "Image");
        var apiEnvironment = api["Properties"]!["Environment"]!["Variables"]!.AsObject();
        Assert.Equal(CollectorTelemetryStack.Collector, apiEnvironment["CodyBatch__Telemetry__OtlpEndpoint"]!.GetValue<string>());
        Assert.DoesNotContain(apiEnvironment, v => v.Key.StartsWith("OTEL_", StringComparison.Ordinal) || v.Value!.ToJsonString().Contains("otlp-", StringComparison.Ordinal));

        var definitions = stack.Resources("AWS::Batch::JobDefinition").Select(d => d["Properties"]!["ContainerProperties"]!).ToList();
        Assert.Equal(["sweep", "worker"], definitions.Select(c => c["Command"]![0]!.GetValue<string>()).Order());
        Assert.All(definitions, container =>
        {
            var environment = container["Environment"]!.AsArray().ToDictionary(e => e!["Name"]!.GetValue<string>(), e => e!["Value"]!.ToJsonString().Trim('"'));
            Assert.Equal(CollectorTelemetryStack.Collector, environment["CodyBatch__Telemetry__OtlpEndpoint"]);
            Assert.DoesNotContain(container["Secrets"]?.AsArray() ?? [], s => s!["Name"]!.GetValue<string>().StartsWith("OTEL_", StringComparison.Ordinal));
        });

        // The helper functions (schedules, custom resources) run no Cody Batch code: they get no telemetry setting.
        Assert.All(
            stack.Resources("AWS::Lambda::Function").Where(f => f != api),
            f => Assert.False(f["Properties"]!["Environment"]?["Variables"]?.AsObject().ContainsKey("CodyBatch__Telemetry__OtlpEndpoint") ?? false));
    }

    [Theory]
    [InlineData("xray")]
    [InlineData("ftp://collector:4318")]
    public void Another_telemetry_value_stops_the_synthesis_with_a_sentence(string value)
    {
        var app = new App(new AppProps { Context = new Dictionary<string, object> { [StackSettings.TelemetryContext] = value } });

        var error = Assert.Throws<ArgumentException>(() => StackSettings.From(app.Node));

        Assert.Contains("codybatch:telemetry must be cloudwatch or the http or https address of an OTLP/HTTP collector", error.Message, StringComparison.Ordinal);
    }
}
