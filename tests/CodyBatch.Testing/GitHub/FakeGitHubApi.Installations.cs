namespace CodyBatch.Testing.GitHub;

/// <summary>
/// What a GitHub App lists, as GitHub's REST documentation describes it: <c>GET /app/installations</c> (JWT only; an
/// array of installations with their account, permissions, repository selection and <c>suspended_at</c>) and
/// <c>GET /installation/repositories</c> (an installation token only; <c>{ total_count, repositories,
/// repository_selection }</c> of the repositories the installation covers). Both are paged the documented way:
/// <c>per_page</c> (default 30, at most 100) and <c>page</c>, with a <c>Link</c> header naming the <c>next</c>,
/// <c>last</c>, <c>first</c> and <c>prev</c> pages where they exist.
/// </summary>
public sealed partial class FakeGitHubApi
{
    private async Task ListInstallationsAsync(HttpContext context, (string Id, string Slug, System.Security.Cryptography.RSA Key) app)
    {
        var all = _installations.OrderBy(i => i.Value.Id).ToList();
        var items = Paginate(context, "app/installations", all);
        await JsonAsync(context, 200, new JsonArray([.. items.Select(i => (JsonNode)new JsonObject
        {
            ["id"] = i.Value.Id,
            ["account"] = new JsonObject { ["login"] = i.Key, ["type"] = "Organization" },
            ["app_id"] = app.Id,
            ["app_slug"] = app.Slug,
            ["target_type"] = "Organization",
            ["repository_selection"] = i.Value.Selected is null ? "all" : "selected",
            ["access_tokens_url"] = $"{BaseUrl}app/installations/{i.Value.Id}/access_tokens",
            ["repositories_url"] = $"{BaseUrl}installation/repositories",
            ["permissions"] = Permissions(i.Value.Permissions),
            ["suspended_at"] = i.Value.Suspended ? "2026-11-01T00:00:00Z" : null,
        })]));
    }

    private async Task InstallationRepositoriesAsync(HttpContext context, FakeGitHubRequest request)
    {
        if (context.Items["account"] is not string account)
        {
            Problem($"{request.Method} {request.Path} without an installation token");
            await JsonAsync(context, 403, new JsonObject
            {
                ["message"] = "You must authenticate with an installation access token in order to list repositories for an installation.",
                ["documentation_url"] = "https://docs.github.com/rest/apps/installations#list-repositories-accessible-to-the-app-installation",
            });
            return;
        }

        var installation = _installations[account];
        var all = _repositories.Values
            .Where(r => r.Owner.Equals(account, StringComparison.OrdinalIgnoreCase) && Covers(account, r.Name))
            .OrderBy(r => r.FullName, StringComparer.Ordinal)
            .ToList();
        var items = Paginate(context, "installation/repositories", all);
        var canPush = installation.Permissions.TryGetValue("contents", out var contents) && contents == "write";
        await JsonAsync(context, 200, new JsonObject
        {
            ["total_count"] = all.Count,
            ["repository_selection"] = installation.Selected is null ? "all" : "selected",
            ["repositories"] = new JsonArray([.. items.Select(r =>
            {
                // What the installation may do there: its contents permission, narrowed by the repository (CanPush).
                var json = RepositoryJson(r);
                json["permissions"] = new JsonObject { ["admin"] = false, ["maintain"] = false, ["push"] = canPush && r.CanPush, ["triage"] = false, ["pull"] = true };
                return (JsonNode)json;
            })]),
        });
    }

    // One page of `all` by the request's per_page (default 30, at most 100) and page, with GitHub's Link header.
    private List<T> Paginate<T>(HttpContext context, string path, List<T> all)
    {
        var perPage = int.TryParse(context.Request.Query["per_page"], NumberStyles.None, CultureInfo.InvariantCulture, out var pp) ? Math.Clamp(pp, 1, 100) : 30;
        var page = int.TryParse(context.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var last = Math.Max(1, (all.Count + perPage - 1) / perPage);
        var links = new List<string>();
        string Link(int number, string rel) => $"<{BaseUrl}{path}?per_page={perPage}&page={number}>; rel=\"{rel}\"";
        if (page > 1)
        {
            links.Add(Link(Math.Min(page - 1, last), "prev"));
        }

        if (page < last)
        {
            links.Add(Link(page + 1, "next"));
            links.Add(Link(last, "last"));
        }

        if (page > 1)
        {
            links.Add(Link(1, "first"));
        }

        if (links.Count > 0)
        {
            context.Response.Headers["Link"] = string.Join(", ", links);
        }

        return [.. all.Skip((page - 1) * perPage).Take(perPage)];
    }
}
