namespace CodyBatch.Core.Tests.Publishing;

public sealed class PullRequestTemplateTests : IDisposable
{
    private readonly TempDirectory _repo = new("codybatch-template");

    public void Dispose() => _repo.Dispose();

    private void Write(string path, string text)
    {
        var full = _repo.Combine(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    [Theory]
    [InlineData(".github/pull_request_template.md")]
    [InlineData(".github/PULL_REQUEST_TEMPLATE.md")]
    [InlineData("pull_request_template.md")]
    [InlineData("PULL_REQUEST_TEMPLATE")]
    [InlineData("docs/pull_request_template.txt")]
    [InlineData(".github/PULL_REQUEST_TEMPLATE/feature.md")]
    [InlineData("docs/PULL_REQUEST_TEMPLATE/a.md")]
    public void The_template_is_found_where_GitHub_looks(string path)
    {
        Write(path, "## Summary\n");

        Assert.Equal(path, PullRequestTemplate.Find(_repo.Path)?.Path);
    }

    [Fact]
    public void The_github_folder_comes_first_then_the_root_then_docs_then_template_folders()
    {
        Write("docs/pull_request_template.md", "docs");
        Write("pull_request_template.md", "root");
        Write(".github/PULL_REQUEST_TEMPLATE/b.md", "folder b");
        Write(".github/PULL_REQUEST_TEMPLATE/a.md", "folder a");
        Assert.Equal("root", PullRequestTemplate.Find(_repo.Path)?.Text);

        Write(".github/pull_request_template.md", "github");
        Assert.Equal("github", PullRequestTemplate.Find(_repo.Path)?.Text);

        File.Delete(_repo.Combine(".github/pull_request_template.md"));
        File.Delete(_repo.Combine("pull_request_template.md"));
        File.Delete(_repo.Combine("docs/pull_request_template.md"));
        Assert.Equal("folder a", PullRequestTemplate.Find(_repo.Path)?.Text);
    }

    [Fact]
    public void A_template_that_links_out_of_the_repository_is_not_read()
    {
        var outside = Path.Combine(Path.GetTempPath(), $"codybatch-secret-{Guid.NewGuid():N}.txt");
        File.WriteAllText(outside, "host secret");
        try
        {
            Directory.CreateDirectory(_repo.Combine(".github"));
            File.CreateSymbolicLink(_repo.Combine(".github/pull_request_template.md"), outside);

            Assert.Null(PullRequestTemplate.Find(_repo.Path));
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public void The_body_goes_under_the_description_heading_in_place_of_its_placeholder()
    {
        var template = "## Description\n\n<!-- Describe your change -->\n\n## Checklist\n\n- [ ] Tests added\n";

        var filled = PullRequestTemplate.Fill(template, "Upgraded lodash to 4.17.21.");

        Assert.Equal("## Description\n\nUpgraded lodash to 4.17.21.\n\n## Checklist\n\n- [ ] Tests added\n", filled);
    }

    [Fact]
    public void A_template_without_a_description_heading_comes_first_and_the_body_follows()
    {
        var filled = PullRequestTemplate.Fill("Fixes #\n\n- [ ] I ran the tests\n", "The change.");

        Assert.Equal("Fixes #\n\n- [ ] I ran the tests\n\nThe change.", filled);
    }
}
