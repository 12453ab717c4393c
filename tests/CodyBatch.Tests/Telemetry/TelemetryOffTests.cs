using CodyBatch.Core.Telemetry;
using CodyBatch.Hosting;
using CodyBatch.Telemetry;
using CodyBatch.Testing.Telemetry;

namespace CodyBatch.Tests.Telemetry;

/// <summary>Telemetry is off unless an endpoint is configured: no provider, no listener on Cody Batch's source or meter, nothing sent.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryOffTests : IAsyncLifetime
{
    private readonly ApiFactory _factory = new();
    private OtlpReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await OtlpReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task With_no_endpoint_nothing_listens_and_nothing_is_exported()
    {
        // The standard variable may be set on the machine running the tests; empty here, as when it is not set.
        _factory.Settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        var client = _factory.CreateClient();

        var id = (await (await client.CreateJobAsync("acme/api", "acme/web")).JsonAsync())["id"]!.GetValue<string>();
        var job = await client.WaitForEndAsync(id);

        Assert.Equal("completed", job["status"]!.GetValue<string>());
        var export = _factory.Services.GetRequiredService<TelemetryExport>();
        Assert.Null(export.Tracing);
        Assert.Null(export.Metrics);
        Assert.False(CodyBatchTelemetry.Source.HasListeners());
        Assert.False(CodyBatchMetrics.QueueObserved);
        await _factory.DisposeAsync();
        Assert.Equal(0, _receiver.Requests);
    }

    [Fact]
    public async Task The_standard_OTEL_EXPORTER_OTLP_ENDPOINT_turns_export_on()
    {
        _factory.Settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.Endpoint;
        var client = _factory.CreateClient();

        var id = (await (await client.CreateJobAsync("acme/docs")).JsonAsync())["id"]!.GetValue<string>();
        await client.WaitForEndAsync(id);
        await _factory.DisposeAsync();
        await HangGuard.Expect(_receiver.HandledAsync(), "the receiver to finish reading what the exporter sent");

        Assert.Empty(_receiver.Problems);
        var job = Assert.Single(_receiver.Spans, s => s.Name == "job" && s.Text("codybatch.job.id") == id);
        Assert.Contains(_receiver.Spans, s => s.Name == "run" && s.ParentSpanId == job.SpanId && s.Text("codybatch.run.repository") == "acme/docs");
        Assert.Equal(1, _receiver.Latest("codybatch.runs", ("codybatch.status", "succeeded"))?.Value);
    }

    [Fact]
    public async Task A_signals_own_endpoint_sends_only_that_signal_with_the_configured_headers()
    {
        _factory.Settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        _factory.Settings["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = _receiver.Endpoint + "/v1/traces";
        _factory.Settings["OTEL_EXPORTER_OTLP_HEADERS"] = "Authorization=Bearer otlp-test-key";
        var client = _factory.CreateClient();
        Assert.Null(_factory.Services.GetRequiredService<TelemetryExport>().Metrics);

        var id = (await (await client.CreateJobAsync("acme/docs")).JsonAsync())["id"]!.GetValue<string>();
        await client.WaitForEndAsync(id);
        await _factory.DisposeAsync();
        await HangGuard.Expect(_receiver.HandledAsync(), "the receiver to finish reading what the exporter sent");

        Assert.Empty(_receiver.Problems);
        Assert.True(_receiver.Spans.Any(s => s.Name == "job" && s.Text("codybatch.job.id") == id), $"requests {_receiver.Requests}, spans {_receiver.Spans.Count}: {string.Join(",", _receiver.Spans.Select(s => s.Name + ":" + s.Text("codybatch.job.id")))}");
        Assert.Empty(_receiver.Points);
        Assert.NotEmpty(_receiver.Received);
        Assert.All(_receiver.Received, r => Assert.Equal(("/v1/traces", "Bearer otlp-test-key"), r));
    }

    [Theory]
    [InlineData("CodyBatch:Telemetry:OtlpEndpoint", "ftp://collector:4318")]
    [InlineData("CodyBatch:Telemetry:OtlpEndpoint", "collector:4318/v1")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "not a url")]
    [InlineData("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "monitoring.us-east-1.amazonaws.com/v1/metrics")]
    public async Task A_bad_endpoint_stops_the_host_with_a_sentence_naming_the_setting(string setting, string value)
    {
        using var data = new TempDirectory("codybatch-telemetry");
        await using var app = CodyBatchServer.Build(["--urls", "http://127.0.0.1:0", $"--CodyBatch:DataDirectory={data.Path}", $"--{setting}={value}"]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains($"{setting} must be the ", error.Message, StringComparison.Ordinal);
        Assert.Contains("http or https", error.Message, StringComparison.Ordinal);
    }
}
