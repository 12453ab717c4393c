using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CodyBatch.Core.PullRequests;
using CodyBatch.Core.Repositories;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Options;
using Octokit;
using PullRequest = Octokit.PullRequest;

namespace CodyBatch.GitHub.GitHub;

/// <summary>
/// GitHub as the service account sees it. Resolve: two calls (the repository, the default
/// branch's head commit). Fetch: the tarball of that commit, unpacked safely into the workspace
/// as it streams in (never held in memory). Publish: one commit on <c>codybatch/&lt;job&gt;-&lt;name&gt;</c> through the Git Data API
/// (a tree on the base tree with inline text, blobs only for binary files), then the pull
/// request; a retry or a re-run of the campaign moves the branch and updates the open pull
/// request's title and body, and pushes nothing when it already holds the same patch.
/// </summary>
public sealed class GitHubRepositoryHost(GitHubConnection connection, GitHubCalls calls, IOptions<GitHubOptions> options) : IRepositoryHost
{
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
        return new ResolvedRepository(found.FullName, found.DefaultBranch, head.Sha, canPush, TreeSha: head.Commit?.Tree?.Sha);
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
        var branch = request.Existing?.Branch ?? $"codybatch/{request.CampaignId ?? request.JobId}-{name}";
        var digest = PullRequestTracking.Digest(request.Patch);
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
                    if (existing.PatchDigest == digest && string.Equals(current.Head.Sha, existing.HeadSha, StringComparison.OrdinalIgnoreCase))
                    {
                        return new PublishedChange(branch, current.HtmlUrl) { Number = current.Number, HeadSha = current.Head.Sha, Draft = current.Draft, Unchanged = true };
                    }

                    open = current;
                }
            }

            var items = new JsonArray();
            foreach (var change in request.Changes)
            {
                items.Add(await TreeItemAsync(client, owner, name, request.WorkspacePath, change, cancellationToken));
            }

            var tree = await CreateTreeAsync(owner, name, request.Repository.TreeSha ?? request.Repository.CommitSha, items, cancellationToken);
            var commit = await calls.WriteAsync(
                "create the change's commit", () => client.Git.Commit.Create(owner, name, new NewCommit(request.Title, tree, [request.Repository.CommitSha])), cancellationToken);
            try
            {
                await calls.WriteAsync("create the branch", () => client.Git.Reference.Create(owner, name, new NewReference($"refs/heads/{branch}", commit.Sha)), cancellationToken);
            }
            catch (ApiValidationException e) when (Says(e, "Reference already exists"))
            {
                // A retry or a re-run: the branch is moved to the new commit, which starts from the current default branch.
                await calls.WriteAsync("move the branch", () => client.Git.Reference.Update(owner, name, $"heads/{branch}", new ReferenceUpdate(commit.Sha, force: true)), cancellationToken);
            }

            // Opening a pull request is not safe to repeat, so an open one for the branch (the campaign's,
            // or one from an earlier attempt whose answer was lost) is looked for first and reused.
            PullRequest pull;
            if (open is not null)
            {
                pull = open;
            }
            else
            {
                try
                {
                    pull = await calls.CreateOnceAsync(
                        "open the pull request",
                        () => FindOpenPullRequestAsync(client, owner, name, branch),
                        () => client.PullRequest.Create(owner, name, new NewPullRequest(request.Title, branch, request.Repository.DefaultBranch) { Body = request.Body, Draft = request.Draft }),
                        cancellationToken);
                }
                catch (ApiValidationException e) when (request.Draft && Says(e, "Draft pull requests are not supported"))
                {
                    // Drafts need a plan that has them; work that is incomplete or broke a check is never opened ready for review.
                    return new PublishedChange(branch, null);
                }
                catch (ApiValidationException e) when (Says(e, "A pull request already exists"))
                {
                    pull = await calls.ReadAsync("find the open pull request", () => FindOpenPullRequestAsync(client, owner, name, branch), cancellationToken)
                        ?? throw new RunFailedException($"GitHub says a pull request for {branch} exists, but none is open; close or reopen it and retry.");
                }
            }

            // A reused pull request (a retry, a re-run) gets this attempt's title and body.
            if (pull.Title != request.Title || (pull.Body ?? "") != request.Body)
            {
                pull = await UpdatePullRequestAsync(client, owner, name, pull.Number, request, cancellationToken);
            }

            return new PublishedChange(branch, pull.HtmlUrl) { Number = pull.Number, HeadSha = commit.Sha, Draft = pull.Draft };
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

    private static async Task<PullRequest?> FindOpenPullRequestAsync(IGitHubClient client, string owner, string name, string branch)
    {
        var open = await client.PullRequest.GetAllForRepository(owner, name, new PullRequestRequest { Head = $"{owner}:{branch}", State = ItemStateFilter.Open });
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

        var path = Path.Combine(workspace, change.Path);
        if (change.Mode == "120000")
        {
            return new JsonObject { ["path"] = change.Path, ["mode"] = "120000", ["type"] = "blob", ["content"] = new FileInfo(path).LinkTarget ?? "" };
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
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
