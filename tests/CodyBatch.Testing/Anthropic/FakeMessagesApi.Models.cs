namespace CodyBatch.Testing.Anthropic;

/// <summary>The Models API side of the fake: <c>GET /v1/models</c> with Anthropic's paging.</summary>
public sealed partial class FakeMessagesApi
{
    /// <summary>What <c>GET /v1/models</c> lists, newest first.</summary>
    public List<FakeModel> Models { get; } =
    [
        new("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", new DateTimeOffset(2025, 9, 29, 0, 0, 0, TimeSpan.Zero)),
        new("claude-opus-4-1-20250805", "Claude Opus 4.1", new DateTimeOffset(2025, 8, 5, 0, 0, 0, TimeSpan.Zero)),
        new("claude-sonnet-4-20250514", "Claude Sonnet 4", new DateTimeOffset(2025, 5, 14, 0, 0, 0, TimeSpan.Zero)),
    ];

    /// <summary>The <c>GET /v1/models</c> requests received, with their query strings.</summary>
    public IReadOnlyList<string> ModelListRequests => _modelRequests.Snapshot();

    /// <summary>
    /// The smallest prompt prefix a cache breakpoint caches, by model, as Anthropic documents it:
    /// 4,096 tokens for Opus 4.5 and Haiku 4.5, 2,048 for Haiku 3 and 3.5, 1,024 for the rest.
    /// </summary>
    public static int MinimumCacheableTokens(string model) => model switch
    {
        _ when model.StartsWith("claude-opus-4-5", StringComparison.Ordinal) || model.StartsWith("claude-haiku-4-5", StringComparison.Ordinal) => 4096,
        _ when model.StartsWith("claude-3-5-haiku", StringComparison.Ordinal) || model.StartsWith("claude-3-haiku", StringComparison.Ordinal) => 2048,
        _ => 1024,
    };

    // GET /v1/models: newest first; limit 1–1000 (default 20); after_id / before_id page by model id.
    private async Task ListModelsAsync(HttpContext context)
    {
        _modelRequests.Add(context.Request.QueryString.Value ?? "");
        context.Response.Headers["request-id"] = $"req_{Guid.NewGuid():N}";
        var headers = context.Request.Headers;
        if (headers["x-api-key"].ToString() != ApiKey && headers.Authorization.ToString() != $"Bearer {ApiKey}")
        {
            Problem("a models request without the API key");
            await WriteErrorAsync(context, 401, "authentication_error", "invalid x-api-key");
            return;
        }

        if (string.IsNullOrEmpty(headers["anthropic-version"]))
        {
            Problem("a models request without anthropic-version");
            await WriteErrorAsync(context, 400, "invalid_request_error", "anthropic-version: header is required");
            return;
        }

        var query = context.Request.Query;
        var limit = 20;
        if (query.ContainsKey("limit") && (!int.TryParse(query["limit"], out limit) || limit < 1 || limit > 1000))
        {
            Problem($"a models request with limit {query["limit"]}");
            await WriteErrorAsync(context, 400, "invalid_request_error", "limit: Input should be greater than or equal to 1 and less than or equal to 1000");
            return;
        }

        var models = Models.ToList();
        var start = 0;
        var end = models.Count;
        if (query["after_id"].ToString() is { Length: > 0 } after)
        {
            start = models.FindIndex(m => m.Id == after) + 1;
        }

        if (query["before_id"].ToString() is { Length: > 0 } before)
        {
            end = Math.Max(0, models.FindIndex(m => m.Id == before));
            start = Math.Max(start, end - limit);
        }

        var page = models.Skip(start).Take(Math.Min(limit, Math.Max(0, end - start))).ToList();
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["data"] = new JsonArray([.. page.Select(m => (JsonNode)new JsonObject
            {
                ["type"] = "model",
                ["id"] = m.Id,
                ["display_name"] = m.DisplayName,
                ["created_at"] = m.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            })]),
            ["has_more"] = start + page.Count < end,
            ["first_id"] = page.FirstOrDefault()?.Id,
            ["last_id"] = page.LastOrDefault()?.Id,
        });
    }
}
