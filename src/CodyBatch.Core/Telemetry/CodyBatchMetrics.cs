using System.Diagnostics;
using System.Diagnostics.Metrics;
using CodyBatch.Core.Runs;

namespace CodyBatch.Core.Telemetry;

/// <summary>
/// Cody Batch's instruments on <see cref="CodyBatchTelemetry.Meter"/>: runs by outcome, tokens and dollars by
/// model, the queue (depth, oldest age, wait before a first claim), rate-limit waits, sandbox durations and
/// webhook deliveries. Recording with no listener costs a check of a flag.
/// </summary>
public static class CodyBatchMetrics
{
    /// <summary>The model a measurement is about (OpenTelemetry's generative AI convention).</summary>
    public const string Model = "gen_ai.request.model";

    /// <summary>The kind of token: <c>input</c>, <c>output</c>, <c>cache_read</c>, <c>cache_write</c>.</summary>
    public const string TokenType = "gen_ai.token.type";

    private static readonly Counter<long> Runs = Count<long>("codybatch.runs", "{run}", "Repository runs that ended, by outcome.");

    private static readonly Counter<long> Tokens = Count<long>("codybatch.tokens", "{token}", "Tokens Claude's responses used, by model and kind.");

    private static readonly Counter<double> Cost = Count<double>("codybatch.cost", "USD", "What Claude's responses cost at list prices, by model.");

    private static readonly Histogram<double> QueueWait = Seconds("codybatch.queue.wait", "How long a run waited from its job's creation to its first claim.");

    private static readonly Histogram<double> RateLimitWait = Seconds("codybatch.rate_limit.wait", "Time spent waiting for a rate limit (GitHub) or before retrying a limited or overloaded request (Anthropic).");

    private static readonly Histogram<double> SandboxDuration = Seconds("codybatch.sandbox.duration", "How long work in the run's sandbox took: a session of checks, one shell command.");

    private static readonly Counter<long> WebhookDeliveries = Count<long>("codybatch.webhook.deliveries", "{delivery}", "GitHub webhook deliveries received, by event and outcome.");

    private static readonly ObservableGauge<long> QueueDepth;

    private static QueueSample? _queue;

    private static Counter<T> Count<T>(string name, string unit, string description)
        where T : struct => CodyBatchTelemetry.Meter.CreateCounter<T>(name, unit, description);

    // Durations are histograms in seconds, as OpenTelemetry's semantic conventions name them.
    private static Histogram<double> Seconds(string name, string description) => CodyBatchTelemetry.Meter.CreateHistogram<double>(name, "s", description);

    static CodyBatchMetrics()
    {
        QueueDepth = CodyBatchTelemetry.Meter.CreateObservableGauge(
            "codybatch.queue.depth", () => _queue is { } sample ? [new Measurement<long>(sample.Depth)] : Array.Empty<Measurement<long>>(), "{run}", "Runs waiting for a worker at the last look.");
        CodyBatchTelemetry.Meter.CreateObservableGauge(
            "codybatch.queue.age", () => _queue is { } sample ? [new Measurement<double>(sample.OldestAge.TotalSeconds)] : Array.Empty<Measurement<double>>(), "s", "Age of the oldest job with a run waiting for a worker, at the last look.");
    }

    /// <summary>Whether an exporter reads the queue's gauges (else there is no point in looking at the queue).</summary>
    public static bool QueueObserved => QueueDepth.Enabled;

    /// <summary>A run ended with <paramref name="status"/>.</summary>
    public static void RunEnded(RunStatus status) =>
        Runs.Add(1, new KeyValuePair<string, object?>(CodyBatchTelemetry.Status, status.ToString().ToLowerInvariant()));

    /// <summary>One response's tokens and cost for <paramref name="model"/>.</summary>
    public static void Used(string model, TokenUsage usage)
    {
        if (!Tokens.Enabled && !Cost.Enabled)
        {
            return;
        }

        var byModel = new KeyValuePair<string, object?>(Model, model);
        Tokens.Add(usage.InputTokens, byModel, new(TokenType, "input"));
        Tokens.Add(usage.OutputTokens, byModel, new(TokenType, "output"));
        Tokens.Add(usage.CacheReadTokens, byModel, new(TokenType, "cache_read"));
        Tokens.Add(usage.CacheWriteTokens, byModel, new(TokenType, "cache_write"));
        Cost.Add((double)usage.CostUsd, byModel);
    }

    /// <summary>A run was claimed for the first time, <paramref name="waited"/> after its job was created.</summary>
    public static void Claimed(TimeSpan waited) => QueueWait.Record(Math.Max(0, waited.TotalSeconds));

    /// <summary>The queue as last seen: <paramref name="depth"/> runs waiting, the oldest job's age.</summary>
    public static void Queue(int depth, TimeSpan oldestAge) => _queue = new QueueSample(depth, oldestAge);

    /// <summary>Waited <paramref name="wait"/> for <paramref name="service"/>'s limit of kind <paramref name="kind"/>.</summary>
    public static void RateLimited(string service, string kind, TimeSpan wait) =>
        RateLimitWait.Record(wait.TotalSeconds, new(CodyBatchTelemetry.Service, service), new("codybatch.rate_limit.kind", kind));

    /// <summary>Sandbox work of <paramref name="kind"/> took <paramref name="elapsed"/> and ended as <paramref name="outcome"/>.</summary>
    public static void Sandboxed(string kind, TimeSpan elapsed, string outcome) =>
        SandboxDuration.Record(elapsed.TotalSeconds, new(CodyBatchTelemetry.SandboxKind, kind), new("codybatch.outcome", outcome));

    /// <summary>A GitHub webhook delivery of <paramref name="gitHubEvent"/> arrived and was <paramref name="outcome"/>.</summary>
    public static void WebhookDelivered(string gitHubEvent, string outcome) =>
        WebhookDeliveries.Add(1, new("github.event", gitHubEvent), new("codybatch.outcome", outcome));

    /// <summary>Times sandbox work of <paramref name="kind"/>: a span and, at dispose, the duration measurement.</summary>
    public static SandboxTiming TimeSandbox(string kind) => new(kind, CodyBatchTelemetry.Start($"sandbox {kind}")?.SetTag(CodyBatchTelemetry.SandboxKind, kind), Stopwatch.GetTimestamp());

    private sealed record QueueSample(int Depth, TimeSpan OldestAge);
}
