using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CodyBatch.Core.Runs;
using CodyBatch.GitHub.Api;

namespace CodyBatch.GitHub.PullRequests;

/// <summary>
/// Raw JSON writes to GitHub's REST API (commit statuses, check runs, merges) through <see cref="GitHubCalls"/>:
/// spaced, retried on rate limits, and a refusal turned into a sentence that says what GitHub answered.
/// </summary>
internal sealed class GitHubWrites(GitHubConnection connection, GitHubCalls calls)
{
    /// <summary>Sends <paramref name="body"/> to <paramref name="path"/> (relative to the API root) and returns GitHub's answer.</summary>
    public Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonObject body, string what, CancellationToken cancellationToken, bool safeToRepeat = true) =>
        calls.WriteAsync(
            what,
            async () =>
            {
                using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
                using var response = await connection.Http.SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    throw await GitHubResponseException.FromAsync(response, cancellationToken);
                }

                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
            },
            cancellationToken,
            safeToRepeat);

    /// <summary>A refusal GitHub gave to <paramref name="what"/> as the sentence a run or a user is shown.</summary>
    public static RunFailedException Refused(string what, GitHubResponseException e) =>
        new($"GitHub refused to {what} ({e.Status}: {e.Message}).");
}
