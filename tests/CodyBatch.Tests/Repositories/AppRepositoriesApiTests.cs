using System.Security.Cryptography;
using CodyBatch.GitHub.Identity;

namespace CodyBatch.Tests.Repositories;

/// <summary><c>GET /api/repositories</c> with a GitHub App as the service account: every installation's repositories, paged as GitHub pages them.</summary>
public sealed class AppRepositoriesApiTests : ServerOnFakeGitHub, IDisposable
{
    private const string AppId = "Iv23liCodyBatch01";
    private readonly RSA _key = RSA.Create(2048);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        GitHubApi.RegisterApp(AppId, RSA.Create(_key.ExportParameters(includePrivateParameters: false)));
        Factory.Settings["GITHUB_TOKEN"] = "";
        Factory.Settings["CodyBatch:GitHub:AppId"] = AppId;
        Factory.Settings["CodyBatch:GitHub:PrivateKey"] = _key.ExportRSAPrivateKeyPem();
    }

    public void Dispose() => _key.Dispose();

    private static async Task<List<JsonNode>> AllPagesAsync(HttpClient client, string query = "")
    {
        var items = new List<JsonNode>();
        for (var page = 1; ; page++)
        {
            var response = await client.GetAsync($"/api/repositories?page={page}{query}");
            var body = await response.JsonAsync();
            Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
            items.AddRange(body["items"]!.AsArray().Select(i => i!));
            if (!body["hasMore"]!.GetValue<bool>())
            {
                return items;
            }
        }
    }

    [Fact]
    public async Task Every_installation_is_listed_with_its_own_token_across_pages_with_push_from_its_permissions()
    {
        GitHubApi.Install("octo", 11);
        GitHubApi.Install("acme", 12, new() { ["contents"] = "read", ["metadata"] = "read" });
        GitHubApi.Install("corp", 13, selected: ["picked-1", "picked-2"]);
        GitHubApi.Install("gone", 14, suspended: true);
        for (var i = 0; i < 230; i++)
        {
            GitHubApi.Add("octo", $"service-{i:000}");
        }

        GitHubApi.Add("octo", "old").Archived = true;
        GitHubApi.Add("octo", "locked").CanPush = false;
        GitHubApi.Add("acme", "docs").Private = true;
        GitHubApi.Add("acme", "site");
        for (var i = 1; i <= 4; i++)
        {
            GitHubApi.Add("corp", $"picked-{i}");
        }

        GitHubApi.Add("gone", "hidden");
        GitHubApi.Add("stranger", "elsewhere");
        var client = Factory.CreateClient();

        var items = await AllPagesAsync(client);
        var first = await (await client.GetAsync("/api/repositories")).JsonAsync();

        // 230 + locked from octo (not the archived one), both of acme, the two picked of corp; nothing of a suspended or missing installation.
        Assert.Equal(235, first["total"]!.GetValue<int>());
        Assert.Equal(235, items.Count);
        var byName = items.ToDictionary(i => i["fullName"]!.GetValue<string>());
        Assert.Equal(
            ["acme/docs", "acme/site", "corp/picked-1", "corp/picked-2", "octo/locked"],
            byName.Keys.Where(n => !n.StartsWith("octo/service-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.True(byName["octo/service-229"]["canPush"]!.GetValue<bool>());
        Assert.True(byName["corp/picked-2"]["canPush"]!.GetValue<bool>());
        Assert.False(byName["octo/locked"]["canPush"]!.GetValue<bool>());
        Assert.False(byName["acme/site"]["canPush"]!.GetValue<bool>());
        Assert.True(byName["acme/docs"]["private"]!.GetValue<bool>());

        // The installations once, with the JWT; octo's 231 repositories in three pages of 100, acme's and corp's in one each.
        var installations = Assert.Single(GitHubApi.Requests, r => r.Path == "/app/installations");
        Assert.Equal(2, installations.Authorization.Count(c => c == '.'));
        var listings = GitHubApi.Requests.Where(r => r.Path == "/installation/repositories").ToList();
        Assert.Equal(
            ["?per_page=100", "?per_page=100&page=2", "?per_page=100&page=3", "?per_page=100", "?per_page=100"],
            listings.Select(r => r.Query));
        Assert.Equal(3, listings.Select(r => r.Authorization).Distinct().Count());
        Assert.All(listings, r => Assert.StartsWith("Bearer ghs_", r.Authorization, StringComparison.Ordinal));
        Assert.Equal(3, GitHubApi.InstallationTokens.Count);
        Assert.Empty(GitHubApi.Problems);

        // Searched within what was listed; the list is kept for a while, so no further GitHub calls.
        var count = GitHubApi.Requests.Count;
        var corp = await AllPagesAsync(client, "&query=corp/");
        Assert.Equal(["corp/picked-1", "corp/picked-2"], corp.Select(i => i["fullName"]!.GetValue<string>()));
        Assert.Equal(count, GitHubApi.Requests.Count);
    }

    [Fact]
    public async Task Installations_past_the_first_page_are_followed_by_the_link_header()
    {
        for (var i = 0; i < 101; i++)
        {
            GitHubApi.Install($"team-{i:000}", 1000 + i);
            GitHubApi.Add($"team-{i:000}", "app");
        }

        var items = await AllPagesAsync(Factory.CreateClient());

        Assert.Equal(101, items.Count);
        Assert.Contains(items, i => i["fullName"]!.GetValue<string>() == "team-100/app");
        Assert.Equal(2, GitHubApi.Requests.Count(r => r.Path == "/app/installations"));
        Assert.Empty(GitHubApi.Problems);
    }

    [Fact]
    public async Task A_key_github_does_not_know_is_a_sentence_and_the_fake_refuses_each_wrong_credential()
    {
        using var other = RSA.Create(2048);
        Factory.Settings["CodyBatch:GitHub:PrivateKey"] = other.ExportRSAPrivateKeyPem();
        GitHubApi.Install("octo", 11);
        GitHubApi.Add("octo", "app");

        var response = await Factory.CreateClient().GetAsync("/api/repositories");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var detail = (await response.JsonAsync())["detail"]!.GetValue<string>();
        Assert.StartsWith("GitHub refused to list the App's installations (401: A JSON web token could not be decoded", detail, StringComparison.Ordinal);
        Assert.Contains("check CodyBatch:GitHub:AppId and the private key", detail, StringComparison.Ordinal);

        // As GitHub documents it: /app/* takes only the App's JWT, /installation/repositories only an installation token.
        using var raw = new HttpClient { BaseAddress = new Uri(GitHubApi.BaseUrl) };
        var jwt = AppJwt.Create(AppId, _key, DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(raw, "app/installations", GitHubApi.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(raw, "installation/repositories", jwt)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(raw, "installation/repositories", GitHubApi.Token)).StatusCode);
        var listed = await SendAsync(raw, "app/installations", jwt);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(11, (await listed.JsonAsync())[0]!["id"]!.GetValue<long>());
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await client.SendAsync(request);
    }
}
