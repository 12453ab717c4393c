namespace CodyBatch.Testing.GitHub;

/// <summary>
/// The Git Data side: blobs, trees (with <c>base_tree</c>, inline content, blob shas and deletions),
/// commits and refs, kept as given so a test can compare a pushed commit with the patch.
/// </summary>
public sealed partial class FakeGitHubApi
{
    private readonly ConcurrentDictionary<string, Dictionary<string, (string Mode, byte[] Content)>> _trees = new();
    private readonly ConcurrentDictionary<string, (string Tree, string[] Parents, string Message)> _commits = new();
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new();
    private readonly ConcurrentDictionary<string, string> _refs = new();

    /// <summary>The commit a branch points at, or null.</summary>
    public string? Branch(string fullName, string branch) => _refs.TryGetValue($"{fullName}:refs/heads/{branch}", out var sha) ? sha : null;

    /// <summary>The files of a commit, as the fake built them from the trees it was given.</summary>
    public IReadOnlyDictionary<string, (string Mode, byte[] Content)> FilesOf(string commit) => _trees[_commits[commit].Tree];

    public (string Tree, string[] Parents, string Message) Commit(string sha) => _commits[sha];

    /// <summary>The head commit of a repository (created on first use).</summary>
    public string HeadOf(FakeGitHubRepository repository) => EnsureHead(repository);

    private string EnsureHead(FakeGitHubRepository repository)
    {
        var key = $"{repository.FullName}:refs/heads/{repository.DefaultBranch}";
        if (_refs.TryGetValue(key, out var head))
        {
            return head;
        }

        var tree = Store(new Dictionary<string, (string, byte[])>(repository.Files));
        var commit = Sha("commit", tree + "initial");
        _commits[commit] = (tree, [], "initial");
        _refs[key] = commit;
        return commit;
    }

    private string Store(Dictionary<string, (string Mode, byte[] Content)> files)
    {
        var digest = string.Join("\n", files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value.Mode} {Convert.ToHexString(SHA1.HashData(f.Value.Content))}"));
        var sha = Sha("tree", digest);
        _trees[sha] = files;
        return sha;
    }

    private static string Sha(string kind, string content) => Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes($"{kind}\n{content}\n{Guid.NewGuid()}"))).ToLowerInvariant();

    private async Task CreateTreeAsync(HttpContext context, JsonObject json)
    {
        var baseTree = json["base_tree"]?.GetValue<string>();
        if (baseTree is null || !_trees.TryGetValue(baseTree, out var files))
        {
            await JsonAsync(context, 422, new JsonObject { ["message"] = "Invalid tree info", ["errors"] = new JsonArray("base_tree is not a valid tree oid") });
            return;
        }

        var result = new Dictionary<string, (string Mode, byte[] Content)>(files);
        foreach (var item in json["tree"]!.AsArray().Select(i => i!.AsObject()))
        {
            var path = item["path"]!.GetValue<string>();
            var mode = item["mode"]!.GetValue<string>();
            if (item.TryGetPropertyValue("content", out var inline) && inline is not null)
            {
                result[path] = (mode, Encoding.UTF8.GetBytes(inline.GetValue<string>()));
            }
            else if (item.TryGetPropertyValue("sha", out var sha))
            {
                if (sha is null)
                {
                    result.Remove(path);
                }
                else if (_blobs.TryGetValue(sha.GetValue<string>(), out var blob))
                {
                    result[path] = (mode, blob);
                }
                else
                {
                    await JsonAsync(context, 422, new JsonObject { ["message"] = $"tree.sha {sha} is not a valid blob" });
                    return;
                }
            }
            else
            {
                Problem($"a tree item for {path} with neither sha nor content");
                await JsonAsync(context, 422, new JsonObject { ["message"] = "Must supply either tree.sha or tree.content. Request will be rejected if both are present." });
                return;
            }
        }

        var created = Store(result);
        await JsonAsync(context, 201, new JsonObject { ["sha"] = created, ["url"] = $"{BaseUrl}git/trees/{created}", ["tree"] = new JsonArray(), ["truncated"] = false });
    }
}
