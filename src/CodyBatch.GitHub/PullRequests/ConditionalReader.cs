using System.Net;
using System.Text.Json.Nodes;
using CodyBatch.GitHub.Api;

namespace CodyBatch.GitHub.PullRequests;

/// <summary>
/// Conditional GETs (Octokit sends no <c>If-None-Match</c>): the stored entity tag goes along, and a
/// 304 answer means "as before" — GitHub does not count it against the rate limit.
/// </summary>
internal sealed class ConditionalReader(GitHubConnection connection, GitHubCalls calls)
{
    /// <summary>Reads <paramref name="path"/>; <c>Body</c> is null when the answer was 304.</summary>
    public Task<(JsonNode? Body, string? ETag)> GetAsync(string what, string path, string? etag, CancellationToken cancellationToken) =>
        calls.ReadAsync(
            what,
            async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                if (!string.IsNullOrEmpty(etag))
                {
                    request.Headers.TryAddWithoutValidation("If-None-Match", etag);
                }

                using var response = await connection.Http.SendAsync(request, cancellationToken);
                if (response.StatusCode == HttpStatusCode.NotModified)
                {
                    return ((JsonNode?)null, etag);
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw await GitHubResponseException.FromAsync(response, cancellationToken);
                }

                var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                return (body, response.Headers.ETag?.ToString());
            },
            cancellationToken);
}
