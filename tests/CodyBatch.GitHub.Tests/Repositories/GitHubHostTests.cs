using System.Text;

namespace CodyBatch.GitHub.Tests.Repositories;

public sealed class GitHubHostTests : GitHubFixture
{
    private static readonly byte[] Binary = [0, 1, 2, 3, 0, 255];

    private void AddApp(bool canPush = true) => Api.Add("octo", "app")
        .With("README.md", "# App\n")
        .With("src/app.txt", "hello\n")
        .With("tools/run.sh", "#!/bin/sh\necho run\n", "100755")
        .With("logo.bin", Binary)
        .With("old.txt", "to be removed\n")
        .With("readme-link", "README.md", "120000")
        .CanPush = canPush;

    [Fact]
    public async Task Resolve_pins_the_default_branch_head_and_says_whether_the_account_may_push()
    {
        AddApp(canPush: false);

        var resolved = await Host.ResolveAsync("octo/app", CancellationToken.None);

        Assert.Equal("octo/app", resolved.FullName);
        Assert.Equal("main", resolved.DefaultBranch);
        Assert.Equal(40, resolved.CommitSha.Length);
        Assert.NotNull(resolved.TreeSha);
        Assert.False(resolved.CanPush);
        Assert.Equal(2, ApiCalls);
        Assert.Empty(Api.Problems);
    }

    [Fact]
    public async Task Repositories_that_cannot_be_used_say_why()
    {
        Api.Add("octo", "old").With("a.txt", "a").Archived = true;
        Api.Add("octo", "empty").Empty = true;

        Assert.Equal(
            "GitHub has no repository octo/missing, or the service account cannot see it; check the name and the account's access.",
            (await Assert.ThrowsAsync<RunFailedException>(() => Host.ResolveAsync("octo/missing", CancellationToken.None))).Message);
        Assert.Contains("is archived", (await Assert.ThrowsAsync<RunFailedException>(() => Host.ResolveAsync("octo/old", CancellationToken.None))).Message, StringComparison.Ordinal);
        Assert.Equal(
            "octo/empty is empty: its default branch has no commits yet.",
            (await Assert.ThrowsAsync<RunFailedException>(() => Host.ResolveAsync("octo/empty", CancellationToken.None))).Message);
    }

    [Fact]
    public async Task The_snapshot_is_the_commit_with_modes_and_links_and_the_token_stays_off_the_download_host()
    {
        AddApp();

        var (_, workspace) = await CheckOutAsync("octo/app");
        await using var _ = workspace;

        var snapshot = TestRepository.Snapshot(workspace.RepositoryPath);
        Assert.Equal("link -> README.md", snapshot["readme-link"]);
        Assert.StartsWith("exec ", snapshot["tools/run.sh"], StringComparison.Ordinal);
        Assert.Equal("file " + Convert.ToHexString(Binary), snapshot["logo.bin"]);
        Assert.Equal("file " + Convert.ToHexString(Encoding.UTF8.GetBytes("hello\n")), snapshot["src/app.txt"]);
        Assert.Equal(["README.md", "logo.bin", "old.txt", "readme-link", "src/app.txt", "tools/run.sh"], snapshot.Keys);
        Assert.Empty(Api.Problems);
        Assert.Equal(3, ApiCalls);
        Assert.Contains(Api.Requests, r => r.Path.StartsWith("/_codeload/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Publishing_pushes_one_commit_whose_tree_is_the_workspace_and_opens_the_pull_request()
    {
        AddApp();
        var (resolved, workspace) = await CheckOutAsync("octo/app");
        await using var _ = workspace;
        var tree = TestRepository.At(workspace.RepositoryPath)
            .Write("src/app.txt", "hello, world\n")
            .Write("src/new.txt", "new file — ünïcødé\n")
            .Write("logo.bin", [.. Binary, 9, 9])
            .Executable("src/new.txt");
        File.Delete(Path.Combine(workspace.RepositoryPath, "old.txt"));
        File.Delete(Path.Combine(workspace.RepositoryPath, "readme-link"));
        tree.Symlink("readme-link", "src/app.txt");
        var patch = await workspace.CreatePatchAsync(CancellationToken.None);
        var before = ApiCalls;

        var published = await Host.PublishAsync(
            new PublishRequest("01jobjobjobjobjobjobjobjob", resolved, workspace.RepositoryPath, patch, "Greet the world", "Friendlier.\n\n> prompt", await workspace.ListChangesAsync(CancellationToken.None)),
            CancellationToken.None);

        Assert.Empty(Api.Problems);
        Assert.Equal("codybatch/01jobjobjobjobjobjobjobjob-app", published.Branch);
        Assert.Equal("https://github.example/octo/app/pull/1", published.PullRequestUrl);
        var head = Api.Branch("octo/app", published.Branch)!;
        Assert.Equal([resolved.CommitSha], Api.Commit(head).Parents);
        var pushed = Api.FilesOf(head).ToDictionary(
            f => f.Key,
            f => f.Value.Mode == "120000" ? $"link -> {Encoding.UTF8.GetString(f.Value.Content)}" : $"{(f.Value.Mode == "100755" ? "exec" : "file")} {Convert.ToHexString(f.Value.Content)}");
        Assert.Equal(TestRepository.Snapshot(workspace.RepositoryPath), new SortedDictionary<string, string>(pushed, StringComparer.Ordinal));
        var pull = Assert.Single(Api.PullRequests);
        Assert.Equal("Greet the world", pull["title"]!.GetValue<string>());
        Assert.Equal("main", pull["base"]!["ref"]!.GetValue<string>());
        Assert.Equal("Friendlier.\n\n> prompt", pull["body"]!.GetValue<string>());

        // One blob (the binary file), tree, commit, ref, a look for an open pull request, the pull
        // request: no per-file calls for text.
        Assert.Equal(6, ApiCalls - before);
        Assert.True(ApiCalls <= 9, $"{ApiCalls} calls for resolve, fetch and publish");
    }

    [Fact]
    public async Task A_retry_moves_the_branch_and_reuses_the_open_pull_request_with_the_new_title_and_body()
    {
        Api.Add("octo", "app").With("a.txt", "a\n");
        var (resolved, workspace) = await CheckOutAsync("octo/app");
        await using var _ = workspace;
        TestRepository.At(workspace.RepositoryPath).Write("a.txt", "b\n");
        var request = new PublishRequest("01jobjobjobjobjobjobjobjob", resolved, workspace.RepositoryPath, await workspace.CreatePatchAsync(CancellationToken.None), "T", "B", await workspace.ListChangesAsync(CancellationToken.None));

        var first = await Host.PublishAsync(request, CancellationToken.None);
        var firstHead = Api.Branch("octo/app", first.Branch);
        var second = await Host.PublishAsync(request with { Title = "T2", Body = "B2" }, CancellationToken.None);

        Assert.Equal((first.Branch, first.PullRequestUrl, first.Number), (second.Branch, second.PullRequestUrl, second.Number));
        Assert.NotEqual(firstHead, Api.Branch("octo/app", second.Branch));
        Assert.Equal(Api.Branch("octo/app", second.Branch), second.HeadSha);
        var pull = Assert.Single(Api.PullRequests);
        Assert.Equal(("T2", "B2"), (pull["title"]!.GetValue<string>(), pull["body"]!.GetValue<string>()));
        Assert.Equal(second.HeadSha, pull["head"]!["sha"]!.GetValue<string>());
        Assert.Contains(Api.Requests, r => r.Method == "PATCH" && r.Path.EndsWith($"/git/refs/heads/{first.Branch}", StringComparison.Ordinal));
        Assert.Empty(Api.Problems);
    }

    [Fact]
    public async Task Content_creating_calls_are_spaced_and_never_overlap()
    {
        // Delays end at once here, so a spacing far longer than any call makes every gap a wait, however slow the machine.
        Options.WriteSpacing = TimeSpan.FromSeconds(1);
        Api.Add("octo", "app").With("a.txt", "a\n").With("b.bin", Binary);
        var (resolved, workspace) = await CheckOutAsync("octo/app");
        await using var _ = workspace;
        TestRepository.At(workspace.RepositoryPath).Write("a.txt", "b\n").Write("b.bin", [.. Binary, 1]).Write("c.bin", [0, 0, 7]);
        var request = new PublishRequest("01jobjobjobjobjobjobjobjob", resolved, workspace.RepositoryPath, await workspace.CreatePatchAsync(CancellationToken.None), "T", "B", await workspace.ListChangesAsync(CancellationToken.None));

        await Host.PublishAsync(request, CancellationToken.None);

        var writes = Api.Requests.Count(r => r.Method is "POST" or "PATCH");
        Assert.Equal(6, writes);
        var spacing = Time.Delays.Count(d => d > TimeSpan.Zero && d <= Options.WriteSpacing);
        Assert.True(spacing >= writes - 1, $"{spacing} spacing waits for {writes} writes");
    }
}
