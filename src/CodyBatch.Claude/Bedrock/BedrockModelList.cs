using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodyBatch.Claude.Pricing;
using CodyBatch.Core.Agent;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Options;

namespace CodyBatch.Claude.Bedrock;

/// <summary>
/// The model list under Bedrock: Bedrock's Anthropic models (the control plane's ListFoundationModels,
/// <c>GET /foundation-models?byProvider=anthropic</c>, signed with SigV4 for <c>bedrock</c> with the credentials jobs use),
/// matched to the names <c>CodyBatch:Agent:Bedrock:Models</c> maps, since those are the names a job may ask for. When the
/// list cannot be read (no <c>bedrock:ListFoundationModels</c> permission, no network) it answers the mapped names with
/// their prices from the price table instead, and says why.
/// </summary>
public sealed class BedrockModelList(BedrockClientFactory bedrock, IOptions<BedrockOptions> options) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>The models jobs may use under Bedrock, priced from <paramref name="prices"/>.</summary>
    public async Task<ModelListing> ListAsync(PriceTable prices, CancellationToken cancellationToken)
    {
        var mapped = options.Value.Models.OrderBy(m => m.Key, StringComparer.OrdinalIgnoreCase).ToList();
        Dictionary<string, (string Name, string Status)> offered;
        try
        {
            offered = await FoundationModelsAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Why(e) is { } why)
        {
            return new ModelListing(
                [.. mapped.Select(m => Model(m.Key, m.Key, prices))],
                "price-table",
                $"Bedrock's model list could not be read ({why}); these are the models CodyBatch:Agent:Bedrock:Models maps, with prices from the price table.");
        }

        var models = new List<AvailableModel>();
        var missing = new List<string>();
        foreach (var (name, id) in mapped)
        {
            if (offered.TryGetValue(FoundationModelId(id), out var model))
            {
                models.Add(Model(name, model.Status == "LEGACY" ? $"{model.Name} (legacy)" : model.Name, prices));
            }
            else
            {
                missing.Add($"{name} ({id})");
            }
        }

        return new ModelListing(
            models,
            "bedrock",
            missing.Count == 0 ? null : $"Bedrock in {options.Value.Region} lists no Anthropic model for {string.Join(", ", missing)}; jobs that name it will fail until CodyBatch:Agent:Bedrock:Models maps it to a model Bedrock offers.");
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>The foundation model an id or inference profile (<c>eu.anthropic.…</c>, or its ARN) names: <c>anthropic.…</c>.</summary>
    public static string FoundationModelId(string mapped)
    {
        var id = mapped[(mapped.LastIndexOf('/') + 1)..];
        var at = id.IndexOf("anthropic.", StringComparison.Ordinal);
        return at > 0 ? id[at..] : id;
    }

    private async Task<Dictionary<string, (string Name, string Status)>> FoundationModelsAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(bedrock.ControlPlane, "foundation-models?byProvider=anthropic"));
        await bedrock.SignAsync(request);
        using var response = await _http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var type = response.Headers.TryGetValues("x-amzn-ErrorType", out var types) ? types.First().Split(':')[0] : "";
            string? message = null;
            try
            {
                message = JsonNode.Parse(body)?["message"]?.GetValue<string>();
            }
            catch (JsonException)
            {
            }

            throw new RunFailedException($"{(int)response.StatusCode} {type}: {message ?? body}".Replace(" : ", ": ", StringComparison.Ordinal));
        }

        var summaries = JsonNode.Parse(body)?["modelSummaries"] as JsonArray ?? throw new JsonException("no modelSummaries");
        return summaries
            .OfType<JsonObject>()
            .Where(m => m["modelId"] is JsonValue && m["modelLifecycle"]?["status"]?.GetValue<string>() is null or "ACTIVE" or "LEGACY")
            .GroupBy(m => m["modelId"]!.GetValue<string>(), StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (g.First()["modelName"]?.GetValue<string>() ?? g.Key, g.First()["modelLifecycle"]?["status"]?.GetValue<string>() ?? "ACTIVE"),
                StringComparer.Ordinal);
    }

    private static AvailableModel Model(string name, string displayName, PriceTable prices)
    {
        var price = prices.Find(name);
        return new AvailableModel(name, displayName, null, price?.Input, price?.Output, price?.CacheWrite, price?.CacheRead);
    }

    // Why the list could not be read, for the sentence; null for failures that are not about reaching the list.
    private static string? Why(Exception e) => e switch
    {
        RunFailedException failed => failed.Message.TrimEnd('.'),
        HttpRequestException http => $"Bedrock's control plane could not be reached: {http.Message.TrimEnd('.')}",
        TaskCanceledException => "Bedrock's control plane did not answer in time",
        JsonException or InvalidOperationException => "Bedrock's answer was not a model list",
        _ => null,
    };
}
