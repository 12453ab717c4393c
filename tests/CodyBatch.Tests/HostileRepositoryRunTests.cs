namespace CodyBatch.Tests;

/// <summary>
/// A repository that carries the hostile links, arriving both ways (a GitHub tarball from the fake
/// GitHub, a local git repository), with a scripted Claude that aims every tool at a victim folder in
/// the host's temporary folder through them: the run goes on, every aimed call is refused with the
/// reason, nothing outside changes, and the links stay links in the snapshot and the patch.
/// </summary>
public sealed class HostileRepositoryRunTests : IAsyncLifetime
{
    private readonly HostileLinks _hostile = new();
    private readonly TempDirectory _root = new("codybatch-hostile-run");
    private FakeMessagesApi _claude = null!;
    private ClaudeClientFactory _clients = null!;

    public async Task InitializeAsync()
    {
        _claude = await FakeMessagesApi.StartAsync();
        _clients = RealClaude.Clients(_claude);
        HostileAgentScript.Enqueue(_claude, _hostile);
    }

    public async Task DisposeAsync()
    {
        await _claude.DisposeAsync();
        _clients.Dispose();
        _hostile.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task A_github_tarball_with_hostile_links_confines_every_tool()
    {
        await using var github = await FakeGitHubApi.StartAsync();
        var repository = github.Add("octo", "app").With("README.md", "# App\nFollow /repo/top to read the docs.\n");
        foreach (var (path, target) in _hostile.Links)
        {
            repository.With(path, target, "120000");
        }

        await using var factory = new ApiFactory { UseFakeRepositoryHost = false };
        factory.Settings["GITHUB_TOKEN"] = github.Token;
        factory.Settings["GITHUB_API_URL"] = github.BaseUrl;
        factory.Agent = RealClaude.Agent(_clients);
        var client = factory.CreateClient();

        var created = await client.PostAsJsonAsync("/api/jobs", new { prompt = "Read the docs", repositories = new[] { "octo/app" }, mode = "patch" });
        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
        var job = await client.WaitForEndAsync(id);

        var run = job["repositories"]![0]!;
        Assert.True(run["status"]!.GetValue<string>() == "succeeded", job.ToJsonString());
        HostileAgentScript.AssertConfined(_claude, _hostile);
        var patch = await client.GetStringAsync($"/api/jobs/{id}/repositories/octo/app/patch");
        AssertLinksStayLinks(patch);
    }

    [Fact]
    public async Task A_local_repository_with_hostile_links_confines_every_tool()
    {
        var repository = await TestRepository.InitAsync(_root.Combine("app"));
        repository.Write("README.md", "# App\nFollow /repo/top to read the docs.\n");
        _hostile.PlantIn(repository.Path);
        await repository.CommitAsync();
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await CodyBatchCli.InvokeAsync(
            ["run", "Read the docs", repository.Path, "--out", _root.Combine("out"), "--data", _root.Combine("data"), "--mode", "patch"],
            new InvocationConfiguration { Output = output, Error = error },
            services => services.AddSingleton(_clients));

        Assert.True(exit == 0, output.ToString() + error);
        HostileAgentScript.AssertConfined(_claude, _hostile);
        AssertLinksStayLinks(await File.ReadAllTextAsync(_root.Combine("out", "local-app.patch")));
    }

    // The agent's one real change was a folder made and moved, and the link to the victim moved into its
    // place: the patch carries that link as a link (mode 120000, its target as text), nothing it points to.
    private void AssertLinksStayLinks(string patch)
    {
        Assert.Contains("work-old/notes.txt", patch, StringComparison.Ordinal);
        Assert.Contains("rename from abs\nrename to work", patch, StringComparison.Ordinal);
        Assert.DoesNotContain(_hostile.Secret, patch, StringComparison.Ordinal);
    }
}
