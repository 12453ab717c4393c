using CodyBatch.Core.Campaigns;
using CodyBatch.Core.Configuration;

namespace CodyBatch.GitHub.Tests.Repositories;

public sealed class RepositoryDirectoryTests : GitHubFixture
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        FleetFixture.AddTo(Api);
    }

    private GitHubRepositoryDirectory Directory => new(Connection, Calls);

    private SelectionResolver Resolver(params string[] allowed) =>
        new(Microsoft.Extensions.Options.Options.Create(new CodyBatchOptions { AllowedRepositories = [.. allowed] }), Directory);

    [Fact]
    public async Task An_organization_lists_in_pages_of_a_hundred_with_topics_language_archived_and_fork()
    {
        var listed = await Directory.ListAsync("fleet", CancellationToken.None);

        Assert.Equal(FleetFixture.Count, listed.Count);
        var pages = Api.Requests.Where(r => r.Path == "/orgs/fleet/repos").ToList();
        Assert.Equal(3, pages.Count);
        Assert.All(pages, p => Assert.Contains("per_page=100", p.Query, StringComparison.Ordinal));
        var ten = listed.Single(r => r.FullName == FleetFixture.Name(10));
        Assert.Equal(["payments"], ten.Topics);
        Assert.Equal("C#", ten.Language);
        Assert.True(listed.Single(r => r.FullName == FleetFixture.Name(3)).Archived);
        Assert.True(listed.Single(r => r.FullName == FleetFixture.Name(11)).Fork);
        Assert.Null(listed.Single(r => r.FullName == FleetFixture.Name(57)).Language);
        Assert.All(listed, r => Assert.True(r.CanPush));
    }

    [Fact]
    public async Task An_unknown_organization_is_a_sentence()
    {
        var error = await Assert.ThrowsAsync<RunFailedException>(() => Directory.ListAsync("nobody-here", CancellationToken.None));

        Assert.Contains("404", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_topic_and_a_language_select_exactly_the_matching_repositories_without_archived_ones_or_forks()
    {
        var resolved = await Resolver().ResolveAsync(new RepositorySelection { Organization = "fleet", Topic = "docker", Language = "go" }, CancellationToken.None);

        var expected = Enumerable.Range(0, FleetFixture.Count)
            .Where(i => FleetFixture.Docker(i) && FleetFixture.Language(i) == "Go" && !FleetFixture.Archived(i) && !FleetFixture.Fork(i))
            .Select(FleetFixture.Name);
        Assert.Empty(resolved.Errors);
        Assert.Equal(expected, resolved.Repositories);
        Assert.Contains(resolved.Excluded, e => e.Reason.StartsWith("archived", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Forks_and_archived_ones_are_kept_when_asked_for()
    {
        var resolved = await Resolver().ResolveAsync(
            new RepositorySelection { Patterns = ["fleet/service-0*"], IncludeArchived = true, IncludeForks = true }, CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 100).Select(FleetFixture.Name), resolved.Repositories);
        Assert.Empty(resolved.Excluded);
    }

    [Fact]
    public async Task The_allowed_patterns_apply_to_every_repository()
    {
        var resolved = await Resolver("fleet/service-1*").ResolveAsync(
            new RepositorySelection { Organization = "fleet", Topic = "payments", Repositories = ["fleet/service-200"] }, CancellationToken.None);

        Assert.Equal(["selection.repositories[0]"], resolved.Errors.Keys);
        Assert.Contains("allowed", resolved.Errors["selection.repositories[0]"][0], StringComparison.Ordinal);

        var filtered = await Resolver("fleet/service-1*").ResolveAsync(new RepositorySelection { Organization = "fleet", Topic = "payments" }, CancellationToken.None);
        Assert.Equal(Enumerable.Range(100, 100).Where(FleetFixture.Payments).Select(FleetFixture.Name), filtered.Repositories);
        Assert.Contains(filtered.Excluded, e => e.Repository == FleetFixture.Name(0) && e.Reason.Contains("allowed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_selection_that_matches_nothing_says_what_to_do()
    {
        var resolved = await Resolver().ResolveAsync(new RepositorySelection { Organization = "fleet", Topic = "kubernetes" }, CancellationToken.None);

        Assert.Empty(resolved.Repositories);
        Assert.Contains("matches no repository", resolved.Errors["selection"][0], StringComparison.Ordinal);
    }
}
