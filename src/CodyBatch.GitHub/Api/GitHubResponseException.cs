using System.Text.Json;
using System.Text.Json.Nodes;

namespace CodyBatch.GitHub.Api;

/// <summary>A GitHub response outside Octokit (the tarball, the tree) that was not a success.</summary>
public sealed class GitHubResponseException(int status, IReadOnlyDictionary<string, string> headers, string message) : Exception(message)
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The response headers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; } = headers;

    /// <summary>The failure <paramref name="response"/> describes, with GitHub's <c>message</c> when the body has one.</summary>
    public static async Task<GitHubResponseException> FromAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(",", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        string message;
        try
        {
            message = JsonNode.Parse(body)?["message"]?.GetValue<string>() ?? body;
        }
        catch (JsonException)
        {
            message = body;
        }

        return new GitHubResponseException((int)response.StatusCode, headers, message);
    }
}
