using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodyBatch.Core.Engine;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Options;

namespace CodyBatch.GitHub.Api;

/// <summary>
/// Every request with the token passes here, Octokit's and the raw ones alike (so every page of a
/// list too): it is held while the token's shared state says a limit is spent, and every answer's
/// rate-limit headers update that state for all runs. The state is the one of the request's token
/// when the request carries it (<see cref="StateKey"/>; a GitHub App has a token per installation),
/// else the one this handler was made with.
/// </summary>
public sealed class GitHubRateLimitHandler(GitHubRateLimitState? defaultState, IOptions<GitHubOptions> options, TimeProvider time) : DelegatingHandler
{
    /// <summary>Where a request carries its token's rate-limit state.</summary>
    public static readonly HttpRequestOptionsKey<GitHubRateLimitState> StateKey = new("codybatch.ratelimit");

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var state = request.Options.TryGetValue(StateKey, out var carried) ? carried
            : defaultState ?? throw new InvalidOperationException("A GitHub request reached the rate-limit handler without its token's state.");
        while (state.TryAcquire() is { } limit)
        {
            var what = GitHubCalls.CurrentCall ?? "call GitHub";
            if (limit.Wait > options.Value.MaxRateLimitWait)
            {
                throw new RunFailedException(
                    $"GitHub's {limit.Kind} rate limit allows the next request to {what} only in {Durations.Describe(limit.Wait)}, longer than CodyBatch:GitHub:MaxRateLimitWait ({Durations.Describe(options.Value.MaxRateLimitWait)}); retry the run after {(time.GetUtcNow() + limit.Wait).ToUniversalTime():HH:mm} UTC.");
            }

            if (RunActivity.Current is { } activity)
            {
                await activity.ReportAsync($"Waiting {Durations.Describe(limit.Wait)} for GitHub's {limit.Kind} rate limit before the next request to {what}.");
            }

            await Task.Delay(limit.Wait, time, cancellationToken);
            state.Waited(limit.Wait, limit.Kind);
            Core.Telemetry.CodyBatchMetrics.RateLimited("github", limit.Kind, limit.Wait);
            if (RunActivity.Current is { } done)
            {
                await done.ReportAsync(null);
            }
        }

        var response = await base.SendAsync(request, cancellationToken);
        await ObserveAsync(state, response, cancellationToken);
        return response;
    }

    private async Task ObserveAsync(GitHubRateLimitState state, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var headers = response.Headers
            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(",", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
        // GraphQL's points (resource "graphql") are a budget of their own; the state here is the REST one.
        if (GitHubRateLimits.Header(headers, "x-ratelimit-resource") is null or "core"
            && GitHubRateLimits.Header(headers, "x-ratelimit-remaining") is { } remaining
            && GitHubRateLimits.Header(headers, "x-ratelimit-reset") is { } reset
            && int.TryParse(remaining, NumberStyles.Integer, CultureInfo.InvariantCulture, out var left)
            && long.TryParse(reset, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
        {
            state.Observe(left, DateTimeOffset.FromUnixTimeSeconds(epoch));
        }

        var status = (int)response.StatusCode;
        if (status is not (403 or 429))
        {
            return;
        }

        // Error bodies are small; buffered so the caller can still read them.
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (GitHubRateLimits.Classify(status, headers, Message(body), time.GetUtcNow()) is { Kind: "secondary" } secondary)
        {
            state.Hold(secondary.Wait, secondary.Kind);
        }
    }

    private static string Message(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["message"]?.GetValue<string>() ?? body;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return body;
        }
    }
}
