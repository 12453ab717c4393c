using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CodyBatch.Core.Publishing;
using CodyBatch.Core.PullRequests;
using CodyBatch.Core.Repositories;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Workspaces.Confined;
using CodyBatch.GitHub.Api;
using CodyBatch.GitHub.PullRequests;
using Microsoft.Extensions.Options;
using Octokit;
using PullRequest = Octokit.PullRequest;

namespace CodyBatch.GitHub.Repositories;

/// <summary>
/// GitHub as the service account sees it. Resolve: two calls (the repository, the default
/// branch's head commit). Fetch: the tarball of that commit, unpacked safely into the workspace
/// as it streams in (never held in memory). Publish: one commit on <c>/// as it streams in (never held in memory). Publish: one commit on <c>codybatch/&lt;job&gt;-&lt;name&gt;</c> through the Git Data APIlt;prefix/// as it streams in (never held in memory). Publish: one commit on <c>codybatch/&lt;job&gt;-&lt;name&gt;</c> through the Git Data APIgt;/// as it streams in (never held in memory). Publish: one commit on <c>codybatch/&lt;job&gt;-&lt;name&gt;</c> through the Git Data APIlt;job/// as it streams in (never held in memory). Publish: one commit on <c>codybatch/&lt;job&gt;-&lt;name&gt;</c> through the Git Data APIgt;-/// as it streams in (never held in memory). Publish: one commit on <c>codybatch/&lt;job&gt;-&lt;name&gt;</c> through the Git Data APIlt;name/// as it streams in (never held in memory). Publish: one commit on <c>codybatch/&lt;job&gt;-&lt;name&gt;</c> through the Git Data APIgt;</c> (prefix <c>codybatch/</c> by default) through the Git Data API
/// (a tree on the base tree with inline text, blobs only for binary files), then the pull
/// request; a retry or a re-run of the campaign moves the branch and updates the open pull
/// request's title and body, and pushes nothing when it already holds the same patch.
/// </summary>
public sealed class GitHubRepositoryHost(GitHubConnection connection, GitHubCalls calls, IOptions<GitHubOptions> options, TimeProvider? time = null) : IRepositoryHost
{
    private readonly PullRequestDecorator _decorator = new(calls);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <inheritdoc />
    public async Task<ResolvedRepository> ResolveAsync(string repository, CancellationToken cancellationToken)
    {
        var (owner, name) = Split(repository);
        var client = connection.Client;
        Repository found;
        try
        {
            found = await calls.ReadAsync($"read {repository}", () => client.Repository.Get(owner, name), cancellationToken);
        }
        catch (NotFoundException)
        {
            throw new RunFailedException($"GitHub has no repository {repository}, or the service account cannot see it; check the name and the account's access.");
        }
        catch (AuthorizationException)
        {
            throw new RunFailedException("GitHub did not accept GITHUB_TOKEN (401); set a valid token for the service account.");
        }
        catch (ForbiddenException e)
        {
            throw new RunFailedException($"The service account may not read {repository} ({e.Message}).");
        }

        if (found.Archived)
        {
            throw new RunFailedException($"{found.FullName} is archived, so it is read-only on GitHub; unarchive it or pick another repository.");
        }

        GitHubCommit head;
        try
        {
            head = await calls.ReadAsync($"read the head of {found.FullName}", () => client.Repository.Commit.Get(owner, name, found.DefaultBranch), cancellationToken);
        }
        catch (ApiException e) when (e.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            throw new RunFailedException($"{found.FullName} is empty: its default branch has no commits yet.");
        }

        var permissions = found.Permissions;
        var canPush = permissions is not null && (permissions.Push || permissions.Maintain || permissions.Admin);
        return new ResolvedRepository(
            found.FullName, found.DefaultBranch, head.Sha, canPush, TreeSha: head.Commit?.Tree?.Sha,
            PublishesThroughFork: !canPush && options.Value.ForkWhenNoPush && !connection.Credentials.UsesApp);
    }

    /// <inheritdoc />
    public async Task FetchSnapshotAsync(ResolvedRepository repository, string directory, CancellationToken cancellationToken)
    {
        var (owner, name) = Split(repository.FullName);
        try
        {
            await calls.ReadAsync(
                $"download {repository.FullName}",
                async () =>
                {
                    // Octokit would hold the whole archive in memory. This streams it instead: the
                    // response is unpacked as it arrives, straight into the workspace, so neither the
                    // archive nor a copy of it is kept. The redirect to the download host is followed
                    // without the token. A retry starts again from an empty folder.
                    EmptyFolder(directory);
                    using var response = await connection.Http.GetAsync(
                        $"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}/tarball/{repository.CommitSha}",
                        HttpCompletionOption.ResponseHeadersRead,
                        cancellationToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        throw await GitHubResponseException.FromAsync(response, cancellationToken);
                    }

                    await using var network = await response.Content.ReadAsStreamAsync(cancellationToken);
                    await new TarballExtractor(options.Value).ExtractAsync(network, directory, cancellationToken);
                    return true;
                },
                cancellationToken);
        }
        catch (GitHubResponseException e)
        {
            throw new RunFailedException($"GitHub did not hand out the snapshot of {repository.FullName} ({e.Status}).");
        }
        catch (InvalidDataException e)
        {
            throw new RunFailedException($"The snapshot of {repository.FullName} is not a readable tarball ({e.Message}).");
        }
    }

    /// <inheritdoc />
    public async Task<PublishedChange> PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var (owner, name) = Split(request.Repository.FullName);
        var client = connection.Client;
        var settings = request.Settings ?? PublishSettings.Default;
        var branch = request.Existing?.Branch ?? $"{settings.BranchPrefix}{request.CampaignId ?? request.JobId}-{name}";
        var digest = PullRequestTracking.Digest(request.Patch);
        await CheckWorkflowPermissionAsync(request, owner, name, cancellationToken);
        var notices = new List<string>();
        var (pushOwner, pushName) = (owner, name);
        if (!request.Repository.CanPush && request.Repository.PublishesThroughFork)
        {
            (pushOwner, pushName) = await new ForkTarget(calls, options.Value, time ?? TimeProvider.System).EnsureAsync(client, owner, name, request.Repository.CommitSha, cancellationToken);
            notices.Add($"The service account may not push to {owner}/{name}, so the pull request comes from its fork {pushOwner}/{pushName}.");
        }

        var head = pushOwner == owner && pushName == name ? branch : $"{pushOwner}:{branch}";
        try
        {
            // The campaign's pull request, while it is open, is updated; once merged or closed it stays so.
            PullRequest? open = null;
            if (request.Existing is { } existing)
            {
                var current = await calls.ReadAsync(
                    $"read {request.Repository.FullName}#{existing.Number}", () => client.PullRequest.Get(owner, name, existing.Number), cancellationToken);
                if (current.State.Value == ItemState.Open && !current.Merged)
                {
                    if (request.Round is null && existing.PatchDigest == digest && string.Equals(current.Head.Sha, existing.HeadSha, StringComparison.OrdinalIgnoreCase))
                    {
                        return new PublishedChange(branch, current.HtmlUrl) { Number = current.Number, HeadSha = current.Head.Sha, Draft = current.Draft, Unchanged = true };
                    }

                    open = current;
                }
            }

            if (request.Round is not null && open is null)
            {
                throw new RunFailedException($"Pull request #{request.Existing?.Number} of {request.Repository.FullName} is no longer open, so the follow-up round pushed nothing; the patch is kept.");
            }

            var items = new JsonArray();
            foreach (var change in request.Changes)
            {
                items.Add(await TreeItemAsync(client, pushOwner, pushName, request.WorkspacePath, change, cancellationToken));
            }

            // The commit carries no author or committer: GitHub makes it the token's account (the App's bot
            // for an installation token) and signs it, so it shows as verified.
            var tree = await CreateTreeAsync(pushOwner, pushName, request.Repository.TreeSha ?? request.Repository.CommitSha, items, cancellationToken);
            var commit = await calls.WriteAsync(
                "create the change's commit", () => client.Git.Commit.Create(pushOwner, pushName, new NewCommit(request.CommitMessage ?? request.Title, tree, [request.Repository.CommitSha])), cancellationToken);
            try
            {
                await calls.WriteAsync("create the branch", () => client.Git.Reference.Create(pushOwner, pushName, new NewReference($"refs/heads/{branch}", commit.Sha)), cancellationToken);
            }
            catch (ApiValidationException e) when (Says(e, "Reference already exists"))
            {
                // A retry or a re-run: the branch is moved to the new commit, which starts from the current default branch. A
                // follow-up round's commit sits on the branch's head: a fast-forward, never forced, so reviewers keep their history.
                var force = request.Round is not { Rebuilds: false };
                await calls.WriteAsync("move the branch", () => client.Git.Reference.Update(pushOwner, pushName, $"heads/{branch}", new ReferenceUpdate(commit.Sha, force)), cancellationToken);
            }

            // Opening a pull request is not safe to repeat, so an open one for the branch (the campaign's,
            // or one from an earlier attempt whose answer was lost) is looked for first and reused.
            var pull = open ?? await OpenPullRequestAsync(client, owner, name, head, pushOwner, branch, request, settings.Draft, notices, cancellationToken);
            if (pull is null)
            {
                // Drafts need a plan that has them; work that is incomplete, broke a check or is flagged is never opened ready for review.
                return new PublishedChange(branch, null) { HeadSha = commit.Sha, Notice = notices.Count == 0 ? null : string.Join(" ", notices) };
            }

            // A reused pull request (a retry, a re-run) gets this attempt's title and body.
            if (request.Round is not null)
            {
                return new PublishedChange(branch, pull.HtmlUrl) { Number = pull.Number, HeadSha = commit.Sha, Draft = pull.Draft, Notice = notices.Count == 0 ? null : string.Join(" ", notices) };
            }

            if (pull.Title != request.Title || (pull.Body ?? "") != request.Body)
            {
                pull = await UpdatePullRequestAsync(client, owner, name, pull.Number, request, cancellationToken);
            }

            notices.AddRange(await _decorator.DecorateAsync(client, owner, name, pull.Number, settings, cancellationToken));
            return new PublishedChange(branch, pull.HtmlUrl)
            {
                Number = pull.Number,
                HeadSha = commit.Sha,
                Draft = pull.Draft,
                Notice = notices.Count == 0 ? null : string.Join(" ", notices),
            };
        }
        catch (ApiValidationException e)
        {
            throw new RunFailedException($"GitHub refused the change for {request.Repository.FullName} ({Detail(e)}).");
        }
        catch (ForbiddenException e)
        {
            throw new RunFailedException($"The service account may not push to {request.Repository.FullName} ({e.Message}); the patch is kept.");
        }
        catch (NotFoundException)
        {
            throw new RunFailedException($"GitHub no longer shows {request.Repository.FullName} to the service account; the patch is kept.");
        }
    }

    private Task<PullRequest> UpdatePullRequestAsync(IGitHubClient client, string owner, string name, int number, PublishRequest request, CancellationToken cancellationToken) =>
        calls.WriteAsync(
            $"update the title and body of #{number}",
            () => client.PullRequest.Update(owner, name, number, new PullRequestUpdate { Title = request.Title, Body = request.Body }),
            cancellationToken);

    // Null when the change must be a draft (request.Draft) and the repository has none; a draft the job
    // merely prefers (preferDraft) is opened ready instead, and the notice says so.
    private async Task<PullRequest?> OpenPullRequestAsync(
        IGitHubClient client, string owner, string name, string head, string headOwner, string branch, PublishRequest request, bool preferDraft, List<string> notices, CancellationToken cancellationToken)
    {
        var draft = request.Draft || preferDraft;
        while (true)
        {
            try
            {
                return await calls.CreateOnceAsync(
                    "open the pull request",
                    () => FindOpenPullRequestAsync(client, owner, name, headOwner, branch),
                    () => client.PullRequest.Create(owner, name, new NewPullRequest(request.Title, head, request.Repository.DefaultBranch) { Body = request.Body, Draft = draft ? true : null }),
                    cancellationToken);
            }
            catch (ApiValidationException e) when (request.Draft && Says(e, "Draft pull requests are not supported"))
            {
                return null;
            }
            catch (ApiValidationException e) when (draft && Says(e, "Draft pull requests are not supported"))
            {
                // Private repositories on some plans have no drafts: opened ready instead, and said so.
                draft = false;
                notices.Add($"{owner}/{name} does not support draft pull requests, so this one is open for review.");
            }
            catch (ApiValidationException e) when (Says(e, "A pull request already exists"))
            {
                return await calls.ReadAsync("find the open pull request", () => FindOpenPullRequestAsync(client, owner, name, headOwner, branch), cancellationToken)
                    ?? throw new RunFailedException($"GitHub says a pull request for {branch} exists, but none is open; close or reopen it and retry.");
            }
        }
    }

    // GitHub refuses a push that touches workflow files from a token without the workflow scope (or an
    // App without workflows: write) deep in the publish; this says so before anything is pushed.
    private async Task CheckWorkflowPermissionAsync(PublishRequest request, string owner, string name, CancellationToken cancellationToken)
    {
        var workflow = request.Changes.FirstOrDefault(c => c.Path.StartsWith(".github/workflows/", StringComparison.Ordinal))?.Path;
        if (workflow is null)
        {
            return;
        }

        var (allowed, has) = await connection.Credentials.CanChangeWorkflowsAsync(owner, name, cancellationToken);
        if (allowed == false)
        {
            var needs = connection.Credentials.UsesApp ? "a GitHub App with the workflows: write permission" : "a token with the workflow scope";
            throw new PublishSkippedException(
                $"No pull request: the change touches {workflow}, and GitHub lets only {needs} change workflow files ({has}), so nothing was pushed and the patch is here to apply by hand.");
        }
    }

    // The open pull request whose head is headOwner:branch (the account's fork's branch, in fork mode).
    private static async Task<PullRequest?> FindOpenPullRequestAsync(IGitHubClient client, string owner, string name, string headOwner, string branch)
    {
        var open = await client.PullRequest.GetAllForRepository(owner, name, new PullRequestRequest { Head = $"{headOwner}:{branch}", State = ItemStateFilter.Open });
        return open.FirstOrDefault();
    }

    // Octokit leaves "sha": null out of a tree item, and that null is how GitHub deletes a file; so the
    // tree is posted directly, with the same rate-limit handling as every other call.
    private async Task<string> CreateTreeAsync(string owner, string name, string baseTree, JsonArray items, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["base_tree"] = baseTree, ["tree"] = items };
        try
        {
            return await calls.WriteAsync(
                "create the change's tree",
                async () =>
                {
                    using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
                    using var response = await connection.Http.PostAsync($"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(name)}/git/trees", content, cancellationToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        throw await GitHubResponseException.FromAsync(response, cancellationToken);
                    }

                    return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!["sha"]!.GetValue<string>();
                },
                cancellationToken);
        }
        catch (GitHubResponseException e)
        {
            throw new RunFailedException($"GitHub refused the change's tree ({e.Status}: {e.Message}).");
        }
    }

    private async Task<JsonObject> TreeItemAsync(IGitHubClient client, string owner, string name, string workspace, Core.Workspaces.WorkspaceChange change, CancellationToken cancellationToken)
    {
        if (change.Deleted)
        {
            return new JsonObject { ["path"] = change.Path, ["mode"] = "100644", ["type"] = "blob", ["sha"] = null };
        }

        // The changed tree is read through the confined walk: a link is sent as its target text, never followed.
        var files = new ConfinedDirectory(workspace, LinkPolicy.Refuse);
        byte[] bytes;
        try
        {
            if (change.Mode == "120000")
            {
                return new JsonObject { ["path"] = change.Path, ["mode"] = "120000", ["type"] = "blob", ["content"] = files.ReadLink(change.Path) };
            }

            bytes = files.ReadFile(change.Path, int.MaxValue - 1) ?? throw new RunFailedException($"{change.Path} is too large to publish.");
        }
        catch (ConfinedPathException e)
        {
            throw new RunFailedException($"{change.Path} could not be read for publishing: {e.Message}", e);
        }

        if (!change.IsBinary)
        {
            try
            {
                // Text goes inline in the tree: no call per file.
                return new JsonObject { ["path"] = change.Path, ["mode"] = change.Mode ?? "100644", ["type"] = "blob", ["content"] = StrictUtf8.GetString(bytes) };
            }
            catch (DecoderFallbackException)
            {
                // Not UTF-8: sent as a blob so its bytes survive.
            }
        }

        var blob = await calls.WriteAsync(
            $"upload {change.Path}", () => client.Git.Blob.Create(owner, name, new NewBlob { Content = Convert.ToBase64String(bytes), Encoding = EncodingType.Base64 }), cancellationToken);
        return new JsonObject { ["path"] = change.Path, ["mode"] = change.Mode ?? "100644", ["type"] = "blob", ["sha"] = blob.Sha };
    }

    private static void EmptyFolder(string directory)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo folder && folder.LinkTarget is null)
            {
                folder.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }
    }

    private static bool Says(ApiValidationException e, string text) =>
        (e.ApiError?.Message?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
        || (e.ApiError?.Errors?.Any(d => d.Message?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false) ?? false);

    private static string Detail(ApiValidationException e) =>
        string.Join("; ", new[] { e.ApiError?.Message }.Concat(e.ApiError?.Errors?.Select(d => d.Message) ?? []).Where(m => !string.IsNullOrEmpty(m)));

    private static (string Owner, string Name) Split(string fullName)
    {
        var slash = fullName.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? (fullName[..slash], fullName[(slash + 1)..]) : throw new RunFailedException($"{fullName} is not owner/name.");
    }
}
