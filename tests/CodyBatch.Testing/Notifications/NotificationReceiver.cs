namespace CodyBatch.Testing.Notifications;

/// <summary>
/// A webhook receiver and a Slack incoming webhook, in process. The webhook route verifies the
/// signature as the README tells receivers to (HMAC-SHA256 of <c>t + "." + body</c>, constant-time
/// compare, timestamp within five minutes) and answers 401 when it does not match; the Slack route
/// answers as Slack documents (200 <c>ok</c>, or 400 <c>invalid_payload</c> for a body without
/// <c>text</c>). Either can be told to fail its next requests with a status.
/// </summary>
public sealed class NotificationReceiver : IAsyncDisposable
{
    /// <summary>The Slack route's secret-looking path, as Slack's addresses have.</summary>
    public const string SlackPath = "/services/T0001/B0001/s3cr3tSlackToken";

    private readonly WebApplication _app;
    private readonly string _secret;
    private int _webhookFailures;
    private int _webhookFailureStatus = 503;

    private NotificationReceiver(WebApplication app, string address, string secret)
    {
        _app = app;
        _secret = secret;
        WebhookUrl = address + "/hooks/codybatch";
        SlackUrl = address + SlackPath;
    }

    public string WebhookUrl { get; }

    public string SlackUrl { get; }

    /// <summary>Every request the webhook route answered, with its status.</summary>
    public Recorded<(int Status, JsonObject? Body, IHeaderDictionary Headers)> Webhooks { get; } = new();

    /// <summary>Every Slack message taken.</summary>
    public Recorded<JsonObject> SlackMessages { get; } = new();

    /// <summary>Requests the receiver refused as malformed (a signature that does not verify, a wrong content type).</summary>
    public Recorded<string> Problems { get; } = new();

    public static async Task<NotificationReceiver> StartAsync(string secret)
    {
        NotificationReceiver? receiver = null;
        var (app, address) = await LocalServer.StartAsync(app =>
        {
            app.MapPost("/hooks/codybatch", (Delegate)((HttpContext context) => receiver!.WebhookAsync(context)));
            app.MapPost(SlackPath, (Delegate)((HttpContext context) => receiver!.SlackAsync(context)));
        });
        receiver = new NotificationReceiver(app, address, secret);
        return receiver;
    }

    /// <summary>The next <paramref name="count"/> webhook deliveries get <paramref name="status"/>.</summary>
    public void FailNextWebhooks(int count, int status = 503)
    {
        _webhookFailureStatus = status;
        Interlocked.Exchange(ref _webhookFailures, count);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IResult> WebhookAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var headers = context.Request.Headers;
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            Problems.Add($"content type {context.Request.ContentType}");
            return Answer(415, null, headers);
        }

        if (!Verify(headers["X-CodyBatch-Signature"].ToString(), body))
        {
            Problems.Add($"signature {headers["X-CodyBatch-Signature"]} does not verify");
            return Answer(401, null, headers);
        }

        var json = JsonNode.Parse(body)!.AsObject();
        if (Interlocked.Decrement(ref _webhookFailures) >= 0)
        {
            return Answer(_webhookFailureStatus, json, headers);
        }

        return Answer(204, json, headers);
    }

    private IResult Answer(int status, JsonObject? body, IHeaderDictionary headers)
    {
        Webhooks.Add((status, body, new HeaderDictionary(headers.ToDictionary(h => h.Key, h => h.Value))));
        return Results.StatusCode(status);
    }

    private async Task<IResult> SlackAsync(HttpContext context)
    {
        var json = context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true
            ? JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync()) as JsonObject
            : null;
        if (json?["text"] is not JsonValue text || text.GetValueKind() != System.Text.Json.JsonValueKind.String)
        {
            Problems.Add("slack message without text");
            return Results.Text("invalid_payload", statusCode: 400);
        }

        SlackMessages.Add(json);
        return Results.Text("ok");
    }

    // Written from the README's description, not with Cody Batch's own code, so a change to either shows.
    private bool Verify(string header, byte[] body)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(t, CultureInfo.InvariantCulture)) > 300)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(_secret), (byte[])[.. Encoding.UTF8.GetBytes(t + "."), .. body]);
        return v1.Length == 64 && v1.All(char.IsAsciiHexDigitLower) && CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(v1));
    }
}
