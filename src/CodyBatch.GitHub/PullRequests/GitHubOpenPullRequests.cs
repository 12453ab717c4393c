using System.Text.Json.Nodes;
using CodyBatch.Core.Publishing;
using CodyBatch.GitHub.Api;

namespace CodyBatch.GitHub.PullRequests;

/// <summary>
/// A repository's open pull requests and their files, as GitHub's REST documentation gives them:
/// <c>GET /repos/{owner}/{repo}/pulls?state=open</c> and <c>GET /repos/{owner}/{repo}/pulls/{number}/files</c>, 100 to a
/// page, following the <c>Link</c> header's next page. GitHub lists at most 3,000 files of a pull request; one with more
/// is marked as cut.
/// </summary>
public sealed class GitHubOpenPullRequests(GitHubConnection connection, GitHubCalls calls) : IOpenPullRequests
{
    /// <summary>The most files GitHub lists for one pull request.</summary>
    public const int MaxFilesListed = 3_000;

    /// <summary>Most open pull requests read for one check; a repository with more is read this far.</summary>
    public const int MaxPullRequests = 1_000;

    /// <inheritdoc />
    public async Task<IReadOnlyList<OpenPullRequestFiles>> ListAsync(string repository, CancellationToken cancellationToken)
    {
        var pulls = await ReadAllAsync(repository, $"repos/{repository}/pulls?state=open&per_page=100", MaxPullRequests, cancellationToken);
        var found = new List<OpenPullRequestFiles>();
        foreach (var pull in pulls)
        {
            var number = pull["number"]!.GetValue<int>();
            var files = await ReadAllAsync(repository, $"repos/{repository}/pulls/{number}/files?per_page=100", MaxFilesListed, cancellationToken);
            var paths = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                paths.Add(file["filename"]!.GetValue<string>());
                if (file["previous_filename"]?.GetValue<string>() is { } previous)
                {
                    paths.Add(previous);
                }
            }

            found.Add(new OpenPullRequestFiles(
                number,
                pull["html_url"]?.GetValue<string>() ?? "",
                pull["user"]?["login"]?.GetValue<string>() ?? "someone",
                paths,
                files.Count >= MaxFilesListed));
        }

        return found;
    }

    // Every page of a listing, by the Link header, up to `limit` items; pages stay on the API's host.
    private async Task<List<JsonNode>> ReadAllAsync(string repository, string first, int limit, CancellationToken cancellationToken)
    {
        var items = new List<JsonNode>();
        Uri? page = new(connection.Http.BaseAddress!, first);
        while (page is not null && items.Count < limit)
        {
            var current = page;
            (var batch, page) = await calls.ReadAsync($"list the open pull requests of {repository}", () => PageAsync(current, cancellationToken), cancellationToken);
            items.AddRange(batch.Take(limit - items.Count));
        }

        return items;
    }

    private async Task<(List<JsonNode> Items, Uri? Next)> PageAsync(Uri page, CancellationToken cancellationToken)
    {
        using var response = await connection.Http.GetAsync(page, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await GitHubResponseException.FromAsync(response, cancellationToken);
        }

        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsArray();
        var root = connection.Http.BaseAddress!;
        var next = LinkHeader.Next(response.Headers) is { } link && link.Host == root.Host && link.Port == root.Port && link.Scheme == root.Scheme ? link : null;
        return ([.. json.Select(n => n!)], next);
    }
}
