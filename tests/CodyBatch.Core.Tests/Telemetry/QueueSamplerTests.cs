using System.Diagnostics.Metrics;
using CodyBatch.Core.Telemetry;

namespace CodyBatch.Core.Tests.Telemetry;

/// <summary>The queue's gauges: what a look at the store finds waiting, read through the BCL's own meter listener.</summary>
public sealed class QueueSamplerTests : IAsyncLifetime
{
    private readonly TempDirectory _folder = new("codybatch-queue");
    private SqliteJobStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteJobStore(new SqliteStoreLocation(_folder.Combine("codybatch.db")));
        await _store.InitializeAsync(CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_gauges_show_the_waiting_runs_and_the_oldest_jobs_age()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
        await _store.CreateAsync(JobLifecycle.Create("Fix it", null, JobMode.Patch, "claude-test", ["octo/one", "octo/two", "octo/three"], time.GetUtcNow()), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(4));
        await _store.CreateAsync(JobLifecycle.Create("Fix it", null, JobMode.Patch, "claude-test", ["octo/four"], time.GetUtcNow()), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(6));
        var sampler = new QueueSampler(_store, Options.Create(new TelemetryOptions()), time, NullLogger<QueueSampler>.Instance);

        await sampler.SampleAsync(CancellationToken.None);
        var seen = Observe();

        Assert.Equal(4, seen["codybatch.queue.depth"]);
        Assert.Equal(TimeSpan.FromMinutes(10).TotalSeconds, seen["codybatch.queue.age"], 3);
    }

    [Fact]
    public async Task An_empty_queue_is_zero_deep_and_zero_old()
    {
        var sampler = new QueueSampler(_store, Options.Create(new TelemetryOptions()), new FakeTimeProvider(), NullLogger<QueueSampler>.Instance);

        await sampler.SampleAsync(CancellationToken.None);
        var seen = Observe();

        Assert.Equal(0, seen["codybatch.queue.depth"]);
        Assert.Equal(0, seen["codybatch.queue.age"]);
    }

    private static Dictionary<string, double> Observe()
    {
        var seen = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CodyBatchTelemetry.Name && instrument.Name.StartsWith("codybatch.queue.", StringComparison.Ordinal) && instrument is not Histogram<double>)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }
}
