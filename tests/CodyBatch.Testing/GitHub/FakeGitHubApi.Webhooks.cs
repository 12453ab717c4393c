namespace CodyBatch.Testing.GitHub;

/// <summary>
/// Webhook deliveries as GitHub sends them: signed with <c>X-Hub-Signature-256</c>, with GitHub's
/// delivery headers, recorded with the receiver's answer, and redelivered on request.
/// </summary>
public sealed partial class FakeGitHubApi
{
    private readonly Recorded<FakeWebhookDelivery> _deliveries = new();
    private readonly Recorded<(string Event, string Body)> _withheld = new();
    private (HttpClient Client, string Path, string Secret)? _webhook;

    /// <summary>Webhook deliveries sent, in order.</summary>
    public IReadOnlyList<FakeWebhookDelivery> Deliveries => _deliveries.Snapshot();

    /// <summary>While true, deliveries are kept in <see cref="Withheld"/> instead of sent (a receiver that was down, a delivery lost on the way).</summary>
    public bool HoldDeliveries { get; set; }

    /// <summary>Deliveries not sent while <see cref="HoldDeliveries"/> was on: event and body, in order.</summary>
    public IReadOnlyList<(string Event, string Body)> Withheld => _withheld.Snapshot();

    /// <summary>Sends webhook deliveries to <paramref name="path"/> through <paramref name="client"/>, signed with <paramref name="secret"/>.</summary>
    public void UseWebhook(HttpClient client, string path, string secret) => _webhook = (client, path, secret);

    /// <summary>Sends no more webhook deliveries (a receiver that was never configured, or missed them).</summary>
    public void StopWebhooks() => _webhook = null;

    /// <summary>Posts a delivery as GitHub does; <paramref name="signature"/> replaces the real one (a test's forgery), null sends none.</summary>
    public async Task<FakeWebhookDelivery> SendWebhookAsync(string id, string eventName, string body, string? signature)
    {
        var (client, path, _) = _webhook ?? throw new InvalidOperationException("No webhook receiver is set; call UseWebhook first.");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("User-Agent", "GitHub-Hookshot/fake");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", id);
        request.Headers.Add("X-GitHub-Hook-ID", "424242");
        request.Headers.Add("X-GitHub-Hook-Installation-Target-Type", "repository");
        request.Headers.Add("X-GitHub-Hook-Installation-Target-ID", "4242");
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }

        using var response = await client.SendAsync(request);
        var delivery = new FakeWebhookDelivery(id, eventName, body, signature ?? "", (int)response.StatusCode, await response.Content.ReadAsStringAsync());
        _deliveries.Add(delivery);
        return delivery;
    }

    /// <summary>Sends a delivery again, as "Redeliver" on GitHub does: the same id, event and body.</summary>
    public Task<FakeWebhookDelivery> RedeliverAsync(string id)
    {
        var original = _deliveries.Snapshot().First(d => d.Id == id);
        return SendWebhookAsync(original.Id, original.Event, original.Body, Sign(_webhook!.Value.Secret, original.Body));
    }

    /// <summary>GitHub's <c>X-Hub-Signature-256</c>: <c>sha256=</c> and the hex HMAC-SHA256 of the body under the secret.</summary>
    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private async Task DeliverAsync(string eventName, JsonObject payload)
    {
        if (_webhook is not { } webhook)
        {
            return;
        }

        var body = payload.ToJsonString();
        if (HoldDeliveries)
        {
            _withheld.Add((eventName, body));
            return;
        }

        var delivery = await SendWebhookAsync(Guid.NewGuid().ToString(), eventName, body, Sign(webhook.Secret, body));
        if (delivery.Status != 200)
        {
            Problem($"the {eventName} delivery {delivery.Id} was answered {delivery.Status}: {delivery.Response}");
        }
    }

    private Task PullRequestEventAsync(FakePull pull, string action) =>
        DeliverAsync("pull_request", new JsonObject
        {
            ["action"] = action,
            ["number"] = pull.Number,
            ["pull_request"] = Pull(pull.Repository, pull.Number),
            ["repository"] = RepositoryJson(_repositories[pull.Repository]),
            ["sender"] = new JsonObject { ["login"] = "octocat" },
        });
}
