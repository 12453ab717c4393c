using CodyBatch.Core.Repositories;

namespace CodyBatch.Testing;

/// <summary>
/// A repository host over in-memory trees. Unknown repositories fail the way a real host does
/// (with a sentence); every publish is recorded so tests can check what would have been pushed. Its open pull
/// requests (for the overlap check) are what a test puts in <see cref="OpenPullRequests"/>: none by default.
/// </summary>
public sealed class FakeRepositoryHost : IRepositoryHost, Core.Publishing.IOpenPullRequests
{
    private readonly ConcurrentDictionary<string, FakeRepository> _repositories = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<PublishRequest> Published { get; } = new();

    public ConcurrentQueue<string> Fetched { get; } = new();

    /// <summary>The open pull requests of each repository, by owner/name.</summary>
    public ConcurrentDictionary<string, IReadOnlyList<Core.Publishing.OpenPullRequestFiles>> OpenPullRequests { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public Task<IReadOnlyList<Core.Publishing.OpenPullRequestFiles>> ListAsync(string repository, CancellationToken cancellationToken) =>
        Task.FromResult(OpenPullRequests.GetValueOrDefault(repository) ?? []);

    /// <summary>Runs before each fetch; a test can block, throw or count here.</summary>
    public Func<string, CancellationToken, Task>? BeforeFetch { get; set; }

    /// <summary>Runs before each publish; a test can block, throw or count here.</summary>
    public Func<PublishRequest, CancellationToken, Task>? BeforePublish { get; set; }

    public FakeRepositoryHost Add(string fullName, IReadOnlyDictionary<string, string> files, bool canPush = true)
    {
        _repositories[fullName] = new FakeRepository(fullName, files, canPush);
        return this;
    }

    public FakeRepositoryHost AddSimple(params string[] fullNames)
    {
        foreach (var name in fullNames)
        {
            Add(name, new Dictionary<string, string> { ["README.md"] = $"# {name}\n", ["src/app.txt"] = "hello\n" });
        }

        return this;
    }

    public Task<ResolvedRepository> ResolveAsync(string repository, CancellationToken cancellationToken) =>
        _repositories.TryGetValue(repository, out var found)
            ? Task.FromResult(new ResolvedRepository(found.FullName, "main", "0123456789abcdef0123456789abcdef01234567", found.CanPush))
            : throw new RunFailedException($"Repository {repository} was not found, or the service account cannot see it.");

    public async Task FetchSnapshotAsync(ResolvedRepository repository, string directory, CancellationToken cancellationToken)
    {
        if (BeforeFetch is { } hook)
        {
            await hook(repository.FullName, cancellationToken);
        }

        Fetched.Enqueue(repository.FullName);
        foreach (var (path, content) in _repositories[repository.FullName].Files)
        {
            var target = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await File.WriteAllTextAsync(target, content, cancellationToken);
        }
    }

    public async Task<PublishedChange> PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        if (BeforePublish is { } hook)
        {
            await hook(request, cancellationToken);
        }

        Published.Enqueue(request);
        var branch = $"codybatch/{request.JobId}";
        return new PublishedChange(branch, $"https://example.test/{request.Repository.FullName}/pull/{Published.Count}");
    }

    private sealed record FakeRepository(string FullName, IReadOnlyDictionary<string, string> Files, bool CanPush);
}
