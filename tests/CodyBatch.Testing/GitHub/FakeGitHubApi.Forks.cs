namespace CodyBatch.Testing.GitHub;

// Forks as GitHub's REST documentation describes them: created asynchronously (202), answering 404
// until GitHub has finished them, sharing the parent's objects, and a 422 for a name taken by another repository.
public sealed partial class FakeGitHubApi
{
    private readonly ConcurrentDictionary<string, string> _forkOf = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _forkPending = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many reads of a new fork answer 404 before GitHub has finished it.</summary>
    public int ForkReadyAfter { get; set; } = 2;

    /// <summary>The repository <paramref name="fork"/> was forked from, or null.</summary>
    public string? ForkOf(string fork) => _forkOf.TryGetValue(fork, out var parent) ? parent : null;

    private async Task<bool> ForkNotReadyAsync(HttpContext context, FakeGitHubRepository repository)
    {
        if (!_forkPending.TryGetValue(repository.FullName, out var left) || left <= 0)
        {
            return false;
        }

        _forkPending[repository.FullName] = left - 1;

        await NotFoundAsync(context);
        return true;
    }

    private async Task ForkAsync(HttpContext context, FakeGitHubRepository repository, JsonObject json)
    {
        Unexpected("create a fork", json, "organization", "name", "default_branch_only");
        var owner = json["organization"]?.GetValue<string>() ?? LoginOf(context);
        var name = json["name"]?.GetValue<string>() ?? repository.Name;
        var fullName = $"{owner}/{name}";
        if (!_repositories.TryGetValue(fullName, out var fork))
        {
            var head = EnsureHead(repository);
            fork = Add(owner, name);
            fork.DefaultBranch = repository.DefaultBranch;
            fork.Private = repository.Private;
            foreach (var (path, file) in repository.Files)
            {
                fork.Files[path] = file;
            }

            // A fork shares the parent's objects: its default branch is the parent's head commit.
            _refs[$"{fullName}:refs/heads/{fork.DefaultBranch}"] = head;
            _forkOf[fullName] = repository.FullName;
            _forkPending[fullName] = ForkReadyAfter;
        }
        else if (ForkOf(fullName) is not { } parent || !parent.Equals(repository.FullName, StringComparison.OrdinalIgnoreCase))
        {
            await ValidationFailedAsync(context, "Repository", "name", "already_exists");
            return;
        }

        var answer = RepositoryJson(fork);
        answer["fork"] = true;
        answer["parent"] = new JsonObject { ["full_name"] = repository.FullName };
        answer["permissions"]!["push"] = true;
        await JsonAsync(context, 202, answer);
    }
}
