namespace CodyBatch.Core.Tests;

public sealed class LocalRepositoryValidationTests : IDisposable
{
    private readonly TempDirectory _root = new("codybatch-local");

    public void Dispose() => _root.Dispose();

    private static JobRequestValidator Validator(bool allowLocal) =>
        new(Options.Create(new CodyBatchOptions { AllowLocalRepositories = allowLocal }));

    private string Folder(params string[] parts)
    {
        var path = _root.Combine(parts);
        Directory.CreateDirectory(path);
        return path;
    }

    [Fact]
    public void Local_paths_are_refused_where_local_repositories_are_off()
    {
        var result = Validator(allowLocal: false).Validate(new JobRequest { Prompt = "x", Repositories = [Folder("app")] });

        Assert.Contains("CodyBatch:AllowLocalRepositories", Assert.Single(result.Errors["repositories[0]"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Paths_and_file_urls_become_absolute_sources_with_local_names()
    {
        var app = Folder("app");
        var other = Folder("other", "app");
        var tools = Folder("tools.git");

        var result = Validator(allowLocal: true).Validate(new JobRequest
        {
            Prompt = "x",
            Repositories = [app + "/", new Uri(other).AbsoluteUri + "#release/1.2", tools, "octo/hello"],
        });

        Assert.True(result.IsValid, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
        var repositories = result.Request!.Repositories;
        Assert.Equal(["local/app", "local/app-2", "local/tools", "octo/hello"], repositories.Select(r => r.Name));
        Assert.Equal([app, other + "#release/1.2", tools, null], repositories.Select(r => r.Source));
    }

    [Fact]
    public void Relative_paths_are_taken_from_the_current_folder()
    {
        var result = Validator(allowLocal: true).Validate(new JobRequest { Prompt = "x", Repositories = ["."] });

        Assert.Equal(Path.TrimEndingDirectorySeparator(Environment.CurrentDirectory), Assert.Single(result.Request!.Repositories).Source);
    }

    [Theory]
    [InlineData("missing", "There is no folder")]
    [InlineData("app#..bad", "is not a git reference")]
    [InlineData("app#-x", "is not a git reference")]
    public void Bad_local_repositories_say_what_is_wrong(string relative, string expected)
    {
        Folder("app");

        var result = Validator(allowLocal: true).Validate(new JobRequest { Prompt = "x", Repositories = [_root.Combine(relative)] });

        Assert.Contains(expected, Assert.Single(result.Errors["repositories[0]"]), StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_folder_twice_is_refused()
    {
        var app = Folder("app");

        var result = Validator(allowLocal: true).Validate(new JobRequest { Prompt = "x", Repositories = [app, new Uri(app).AbsoluteUri] });

        Assert.Contains("listed twice", Assert.Single(result.Errors["repositories[1]"]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_url_of_another_host_is_refused()
    {
        var result = Validator(allowLocal: true).Validate(new JobRequest { Prompt = "x", Repositories = ["file://server/share/repo"] });

        Assert.Contains("not a file URL of this machine", Assert.Single(result.Errors["repositories[0]"]), StringComparison.Ordinal);
    }
}
