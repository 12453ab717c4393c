namespace CodyBatch.Core.Tests.Publishing;

public sealed class PublishSettingsValidatorTests
{
    private static readonly PublishDefaultsOptions Defaults = new()
    {
        Draft = true,
        Labels = ["automated"],
        Reviewers = ["alice"],
        BranchPrefix = "bots/",
    };

    private static ValidationResult Validate(PublishChoices? publish) =>
        new JobRequestValidator(Options.Create(new CodyBatchOptions()), publishDefaults: Options.Create(Defaults))
            .Validate(new JobRequest { Prompt = "p", Repositories = ["o/r"], Publish = publish });

    [Fact]
    public void What_a_job_leaves_out_takes_the_servers_defaults()
    {
        var settings = Validate(new PublishChoices { Assignees = ["@bob"] }).Request!.Publish!;

        Assert.True(settings.Draft);
        Assert.Equal(["automated"], settings.Labels);
        Assert.Equal(["alice"], settings.Reviewers);
        Assert.Equal(["bob"], settings.Assignees);
        Assert.Equal("bots/", settings.BranchPrefix);
    }

    [Fact]
    public void What_a_job_says_wins_and_an_empty_list_clears_a_default()
    {
        var settings = Validate(new PublishChoices { Draft = false, Labels = [], Reviewers = ["carol", "Carol"], BranchPrefix = "fix/" }).Request!.Publish!;

        Assert.False(settings.Draft);
        Assert.Empty(settings.Labels);
        Assert.Equal(["carol"], settings.Reviewers);
        Assert.Equal("fix/", settings.BranchPrefix);
    }

    [Fact]
    public void Bad_entries_are_named_by_field()
    {
        var result = Validate(new PublishChoices
        {
            Labels = ["ok", new string('x', 51), ""],
            Reviewers = ["not a login"],
            TeamReviewers = ["org/team"],
            Assignees = [.. Enumerable.Range(0, 11).Select(i => $"user{i}")],
            BranchPrefix = "../escape",
        });

        Assert.False(result.IsValid);
        Assert.Contains("GitHub allows at most 50", Assert.Single(result.Errors["publish.labels[1]"]), StringComparison.Ordinal);
        Assert.Equal("An entry is empty; remove it or fill it in.", Assert.Single(result.Errors["publish.labels[2]"]));
        Assert.Contains("is not a GitHub login", Assert.Single(result.Errors["publish.reviewers[0]"]), StringComparison.Ordinal);
        Assert.Contains("give the team's slug alone", Assert.Single(result.Errors["publish.teamReviewers[0]"]), StringComparison.Ordinal);
        Assert.Equal("11 assignees were given; GitHub keeps at most 10.", Assert.Single(result.Errors["publish.assignees"]));
        Assert.Contains("cannot start a branch name", Assert.Single(result.Errors["publish.branchPrefix"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("codybatch/", true)]
    [InlineData("bots/security-", true)]
    [InlineData("x", true)]
    [InlineData("/abs", false)]
    [InlineData("-flag", false)]
    [InlineData("a//b", false)]
    [InlineData("a/.hidden/", false)]
    [InlineData("a b/", false)]
    [InlineData("a..b", false)]
    public void Branch_prefixes_follow_gits_rules(string prefix, bool valid) =>
        Assert.Equal(valid, PublishSettingsValidator.IsBranchPrefix(prefix));

    [Fact]
    public void A_bad_default_is_refused_at_start_with_the_setting_named()
    {
        var errors = new PublishDefaultsOptions { BranchPrefix = "bad prefix", Assignees = ["x y"] }
            .Validate(new System.ComponentModel.DataAnnotations.ValidationContext(new object())).Select(e => e.ErrorMessage).ToList();

        Assert.Contains(errors, e => e!.StartsWith("CodyBatch:Publish:BranchPrefix: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e!.StartsWith("CodyBatch:Publish:Assignees: ", StringComparison.Ordinal));
    }
}
