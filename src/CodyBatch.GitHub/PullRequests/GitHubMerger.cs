using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CodyBatch.Core.PullRequests;
using CodyBatch.Core.Publishing;
using CodyBatch.GitHub.Api;
using CodyBatch.GitHub.Identity;
using PullRequest = CodyBatch.Core.PullRequests.PullRequest;

namespace CodyBatch.GitHub.PullRequests;

/// <summary>
/// Merging on GitHub: <c>PUT /repos/{o}/{r}/pulls/{n}/merge</c> with <c>merge_method</c> and the expected head
/// <c>sha</c> (GitHub answers 409 when the head moved, 405 when it is not mergeable — a failing required check,
/// a missing approval, a method the repository does not allow); and auto-merge through GraphQL's
/// <c>enablePullRequestAutoMerge</c>, tried only where the repository's <c>allow_auto_merge</c> is on.
/// </summary>
internal sealed class GitHubMerger(GitHubConnection connection, GitHubCalls calls, GitHubWrites writes)
{
    private const string EnableAutoMerge = """
        mutation($id: ID!, $method: PullRequestMergeMethod!, $head: GitObjectID) {
          enablePullRequestAutoMerge(input: {pullRequestId: $id, mergeMethod: $method, expectedHeadOid: $head}) {
            pullRequest { autoMergeRequest { enabledAt mergeMethod } }
          }
        }
        """;

    public async Task<MergeAttempt> MergeAsync(string repository, PullRequest pull, MergeMethod method, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["merge_method"] = method.ToString().ToLowerInvariant() };
        if (pull.HeadSha is not null)
        {
            body["sha"] = pull.HeadSha;
        }

        try
        {
            var answer = await writes.SendAsync(
                HttpMethod.Put, $"{Root(repository)}/pulls/{pull.Number}/merge", body, $"merge {repository}#{pull.Number}", cancellationToken, safeToRepeat: false);
            return new MergeAttempt(answer?["merged"]?.GetValue<bool>() == true, answer?["sha"]?.GetValue<string>() ?? answer?["message"]?.GetValue<string>() ?? "");
        }
        catch (GitHubResponseException e) when (e.Status is 403 or 404 or 405 or 409 or 422)
        {
            return new MergeAttempt(false, $"{e.Status}: {e.Message}");
        }
    }

    public async Task<MergeAttempt> EnableAutoMergeAsync(string repository, PullRequest pull, MergeMethod method, CancellationToken cancellationToken)
    {
        var repo = await GetAsync($"read {repository}", Root(repository), cancellationToken);
        if (repo?["allow_auto_merge"]?.GetValue<bool>() != true)
        {
            return new MergeAttempt(false, "the repository does not allow auto-merge");
        }

        var node = (await GetAsync($"read {repository}#{pull.Number}", $"{Root(repository)}/pulls/{pull.Number}", cancellationToken))?["node_id"]?.GetValue<string>();
        if (node is null)
        {
            return new MergeAttempt(false, "GitHub did not give the pull request's node id");
        }

        var answer = await calls.WriteAsync(
            $"enable auto-merge on {repository}#{pull.Number}",
            async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, GraphQlPullRequestReader.GraphQlUri(connection.Http.BaseAddress!))
                {
                    Content = JsonContent.Create(new JsonObject
                    {
                        ["query"] = EnableAutoMerge,
                        ["variables"] = new JsonObject { ["id"] = node, ["method"] = method.ToString().ToUpperInvariant(), ["head"] = pull.HeadSha },
                    }),
                };
                request.Options.Set(GitHubAuthenticationHandler.OwnerKey, repository[..repository.IndexOf('/', StringComparison.Ordinal)]);
                using var response = await connection.Http.SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    throw await GitHubResponseException.FromAsync(response, cancellationToken);
                }

                return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
            },
            cancellationToken);
        if (answer["errors"] is JsonArray { Count: > 0 } errors)
        {
            return new MergeAttempt(false, $"GitHub refused auto-merge ({string.Join("; ", errors.Select(e => e?["message"]?.GetValue<string>()))})");
        }

        return new MergeAttempt(answer["data"]?["enablePullRequestAutoMerge"]?["pullRequest"]?["autoMergeRequest"] is not null, "auto-merge enabled");
    }

    private Task<JsonNode?> GetAsync(string what, string path, CancellationToken cancellationToken) =>
        calls.ReadAsync(
            what,
            async () =>
            {
                using var response = await connection.Http.GetAsync(path, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    throw await GitHubResponseException.FromAsync(response, cancellationToken);
                }

                return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            },
            cancellationToken);

    private static string Root(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        return $"repos/{Uri.EscapeDataString(repository[..slash])}/{Uri.EscapeDataString(repository[(slash + 1)..])}";
    }
}
