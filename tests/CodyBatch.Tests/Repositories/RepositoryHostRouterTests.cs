using CodyBatch.Core.Configuration;
using CodyBatch.LocalGit;
using CodyBatch.Repositories;

namespace CodyBatch.Tests.Repositories;

/// <summary>The routing between the local git host and the hosted one, where the host wires them.</summary>
public sealed class RepositoryHostRouterTests : IDisposable
{
    private readonly TempDirectory _root = new("codybatch-router");

    private LocalGitRepositoryHost Host { get; } = new(Options.Create(new LocalGitOptions()));

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task The_router_refuses_local_repositories_where_they_are_off_and_sends_the_rest_to_the_hosted_host()
    {
        var source = await TestRepository.InitAsync(_root.Combine("source"));
        source.Write("a.txt", "a\n");
        await source.CommitAsync();
        var hosted = new FakeRepositoryHost().AddSimple("octo/app");
        var off = new RepositoryHostRouter(Host, hosted, Options.Create(new CodyBatchOptions { AllowLocalRepositories = false }));
        var on = new RepositoryHostRouter(Host, hosted, Options.Create(new CodyBatchOptions { AllowLocalRepositories = true }));

        var refused = await Assert.ThrowsAsync<RunFailedException>(() => off.ResolveAsync(source.Path, CancellationToken.None));
        Assert.Contains("CodyBatch:AllowLocalRepositories", refused.Message, StringComparison.Ordinal);
        Assert.Equal(source.Path, (await on.ResolveAsync(source.Path, CancellationToken.None)).Location);
        Assert.Null((await off.ResolveAsync("octo/app", CancellationToken.None)).Location);
    }
}
