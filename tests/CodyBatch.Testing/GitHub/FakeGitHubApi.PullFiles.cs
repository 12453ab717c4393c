using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CodyBatch.Testing.GitHub;

/// <summary>
/// The files of a pull request as GitHub's "List pull requests files" documents them: the files its head changes from
/// its base (<c>filename</c>, <c>status</c> added/modified/removed, <c>additions</c>, <c>deletions</c>, <c>changes</c>),
/// at most 3,000 in all, paged by <c>per_page</c> (30, at most 100) and <c>page</c> with the <c>Link</c> header; and a
/// way for a test to open a pull request as someone else, from a branch with its own changes.
/// </summary>
public sealed partial class FakeGitHubApi
{
    /// <summary>The most files GitHub lists for one pull request.</summary>
    public const int MaxPullFilesListed = 3_000;

    /// <summary>
    /// Opens a pull request on <paramref name="fullName"/> as <paramref name="login"/> from the branch <paramref name="branch"/>,
    /// whose commit changes <paramref name="files"/> (path to new content; null removes the file) on the default branch's head.
    /// </summary>
    public JsonObject OpenPullRequestAs(string fullName, string login, string branch, IReadOnlyDictionary<string, string?> files, string title = "Someone else's change")
    {
        var repository = Repository(fullName);
        var baseSha = EnsureHead(repository);
        var tree = new Dictionary<string, (string Mode, byte[] Content)>(FilesOf(baseSha));
        foreach (var (path, content) in files)
        {
            if (content is null)
            {
                tree.Remove(path);
            }
            else
            {
                tree[path] = ("100644", Encoding.UTF8.GetBytes(content));
            }
        }

        var treeSha = Store(tree);
        var commit = Sha("commit", treeSha + branch);
        _commits[commit] = (treeSha, [baseSha], title);
        _refs[$"{fullName}:refs/heads/{branch}"] = commit;
        return AddPull(repository, new JsonObject { ["title"] = title, ["body"] = "", ["base"] = repository.DefaultBranch }, (fullName, branch, $"{repository.Owner}:{branch}"), draft: false, login);
    }

    private async Task PullFilesAsync(HttpContext context, FakeGitHubRepository repository, int number)
    {
        var pull = TryFind(repository, number);
        if (pull is null)
        {
            await NotFoundAsync(context);
            return;
        }

        string baseSha, headSha;
        lock (_pulls)
        {
            baseSha = pull.Json["base"]!["sha"]!.GetValue<string>();
            headSha = pull.Json["head"]!["sha"]!.GetValue<string>();
        }

        var before = FilesOf(baseSha);
        var after = FilesOf(headSha);
        var changed = before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Where(path => !before.TryGetValue(path, out var old) || !after.TryGetValue(path, out var now) || !old.Content.AsSpan().SequenceEqual(now.Content))
            .Take(MaxPullFilesListed)
            .Select(path =>
            {
                var added = !before.ContainsKey(path);
                var removed = !after.ContainsKey(path);
                var additions = removed ? 0 : Lines(after[path].Content);
                var deletions = added ? 0 : Lines(before[path].Content);
                return (JsonNode)new JsonObject
                {
                    ["sha"] = removed ? null : Sha("blob", path),
                    ["filename"] = path,
                    ["status"] = added ? "added" : removed ? "removed" : "modified",
                    ["additions"] = additions,
                    ["deletions"] = deletions,
                    ["changes"] = additions + deletions,
                };
            })
            .ToList();
        await JsonAsync(context, 200, new JsonArray([.. Paginate(context, $"repos/{repository.FullName}/pulls/{number}/files", changed)]));
    }

    private static int Lines(byte[] content) => content.Count(b => b == (byte)'\n');
}
