namespace CodyBatch.Testing.GitHub;

/// <summary>
/// <c>GET /orgs/{org}/repos</c> as GitHub's REST documentation describes it: the organization's repositories
/// (the name is not case sensitive; 404 when there is no such organization), filtered by <c>type</c> (all, the
/// default; public; private; forks; sources; member), sorted by <c>full_name</c> here, paged by <c>per_page</c>
/// (default 30, at most 100) and <c>page</c> with a <c>Link</c> header. Each repository carries <c>topics</c>,
/// <c>language</c>, <c>archived</c> and <c>fork</c>.
/// </summary>
public sealed partial class FakeGitHubApi
{
    /// <summary>Adds <paramref name="count"/> repositories to <paramref name="owner"/>, each shaped by <paramref name="shape"/> (index from 0).</summary>
    public IReadOnlyList<FakeGitHubRepository> AddFleet(string owner, int count, Action<int, FakeGitHubRepository> shape)
    {
        var added = new List<FakeGitHubRepository>();
        for (var i = 0; i < count; i++)
        {
            var repository = new FakeGitHubRepository(owner, $"service-{i:D3}").With("README.md", $"# service {i}\n");
            shape(i, repository);
            _repositories[repository.FullName] = repository;
            added.Add(repository);
        }

        return added;
    }

    private async Task OrganizationRepositoriesAsync(HttpContext context, string org)
    {
        var all = _repositories.Values.Where(r => r.Owner.Equals(org, StringComparison.OrdinalIgnoreCase)).OrderBy(r => r.FullName, StringComparer.Ordinal).ToList();
        if (all.Count == 0)
        {
            await NotFoundAsync(context);
            return;
        }

        var type = context.Request.Query["type"].ToString();
        all = type switch
        {
            "" or "all" or "member" => all,
            "public" => [.. all.Where(r => !r.Private)],
            "private" => [.. all.Where(r => r.Private)],
            "forks" => [.. all.Where(r => r.Fork)],
            "sources" => [.. all.Where(r => !r.Fork)],
            _ => null!,
        };
        if (all is null)
        {
            await JsonAsync(context, 422, new JsonObject
            {
                ["message"] = "Validation Failed",
                ["errors"] = new JsonArray(new JsonObject { ["resource"] = "Repository", ["field"] = "type", ["code"] = "invalid" }),
                ["documentation_url"] = "https://docs.github.com/rest/repos/repos#list-organization-repositories",
            });
            return;
        }

        var items = Paginate(context, type.Length > 0 ? $"orgs/{org}/repos?type={type}" : $"orgs/{org}/repos", all);
        await JsonAsync(context, 200, new JsonArray([.. items.Select(r => (JsonNode)RepositoryJson(r))]));
    }
}
