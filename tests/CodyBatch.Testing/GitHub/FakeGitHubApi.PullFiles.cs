using System.Text;
using System.Text.Json.Nodes;

namespace CodyBatch.Testing.GitHub;

/// <summary>
/// A way for a test to open a pull request as someone else, from a branch with its own changes; its files are listed
/// by the "List pull requests files" route (at most <see cref="MaxPullFilesListed"/>, paged).
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
}
