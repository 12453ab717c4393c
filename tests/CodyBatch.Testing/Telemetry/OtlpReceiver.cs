namespace CodyBatch.Testing.Telemetry;

/// <summary>
/// An OTLP/HTTP receiver in the test process, as the OTLP specification describes it: <c>POST /v1/traces</c> and
/// <c>POST /v1/metrics</c> with an <c>ExportTraceServiceRequest</c> / <c>ExportMetricsServiceRequest</c> in binary
/// protobuf (<c>application/x-protobuf</c>, optionally gzip-encoded), answered 200 with an empty protobuf response.
/// Other media types get 415, other paths 404, a body that does not decode 400; each of those is also a problem the
/// test sees. Everything received is decoded into <see cref="Spans"/> and <see cref="Points"/>.
/// </summary>
public sealed partial class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<OtlpSpan> _spans = new();
    private readonly ConcurrentQueue<OtlpPoint> _points = new();
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentQueue<(string Path, string? Authorization)> _received = new();
    private readonly ConcurrentQueue<Task> _handling = new();
    private int _requests;

    private OtlpReceiver(WebApplication app, string address)
    {
        _app = app;
        Endpoint = address;
    }

    /// <summary>The base address to configure as the OTLP endpoint (no trailing slash).</summary>
    public string Endpoint { get; }

    /// <summary>Export requests received, of either signal.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Every span received, in order of arrival.</summary>
    public IReadOnlyList<OtlpSpan> Spans => [.. _spans];

    /// <summary>Every metric data point received, in order of arrival (cumulative points repeat at each export).</summary>
    public IReadOnlyList<OtlpPoint> Points => [.. _points];

    /// <summary>Each accepted export's path and <c>Authorization</c> header (exporters send configured headers on every request).</summary>
    public IReadOnlyList<(string Path, string? Authorization)> Received => [.. _received];

    /// <summary>Requests that broke the protocol: wrong path, media type or an undecodable body.</summary>
    public IReadOnlyList<string> Problems => [.. _problems];

    public static async Task<OtlpReceiver> StartAsync()
    {
        OtlpReceiver? receiver = null;
        var (app, address) = await LocalServer.StartAsync(app => app.Run(context => receiver!.Track(receiver.HandleAsync(context))));
        receiver = new OtlpReceiver(app, address);
        return receiver;
    }

    /// <summary>The latest point of <paramref name="metric"/> whose attributes include <paramref name="attributes"/>, or null.</summary>
    public OtlpPoint? Latest(string metric, params (string Key, object Value)[] attributes) =>
        Points.LastOrDefault(p => p.Metric == metric && attributes.All(a => p.Attributes.TryGetValue(a.Key, out var v) && Equals(v, a.Value)));

    /// <summary>
    /// Completes once every request received so far has been decoded and answered: an exporter that gave up waiting
    /// for its answer (a shutdown's time limit) may leave one still being read when the product is disposed.
    /// </summary>
    public Task HandledAsync() => Task.WhenAll(_handling);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private Task Track(Task handling)
    {
        _handling.Enqueue(handling);
        return handling;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var request = context.Request;
        var path = request.Path.Value;
        if (request.Method != "POST" || path is not ("/v1/traces" or "/v1/metrics"))
        {
            Problem($"{request.Method} {path} is not an OTLP/HTTP route");
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (request.ContentType?.Split(';')[0].Trim() != "application/x-protobuf")
        {
            Problem($"{path} came as {request.ContentType}, not application/x-protobuf");
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        using var body = new MemoryStream();
        var content = request.Headers.ContentEncoding.ToString() == "gzip" ? new GZipStream(request.Body, CompressionMode.Decompress) : request.Body;
        await content.CopyToAsync(body);
        try
        {
            if (path == "/v1/traces")
            {
                OtlpDecoder.Traces(body.ToArray(), _spans.Enqueue);
            }
            else
            {
                OtlpDecoder.Metrics(body.ToArray(), _points.Enqueue);
            }
        }
        catch (FormatException e)
        {
            Problem($"{path}: {e.Message}");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        _received.Enqueue((path, request.Headers.Authorization.Count == 0 ? null : request.Headers.Authorization.ToString()));

        // An empty Export*ServiceResponse: no partial_success, everything accepted.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-protobuf";
    }

    private void Problem(string problem) => _problems.Enqueue(problem);
}
