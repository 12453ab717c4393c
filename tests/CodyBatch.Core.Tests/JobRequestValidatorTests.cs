namespace CodyBatch.Core.Tests;

public sealed class JobRequestValidatorTests
{
    private static JobRequestValidator Validator(params string[] allowed) =>
        new(Options.Create(new CodyBatchOptions { AllowedRepositories = allowed, DefaultModel = "claude-sonnet-4-5" }));

    [Fact]
    public void A_good_request_is_normalised_with_defaults()
    {
        var result = Validator().Validate(new JobRequest { Prompt = "  Fix things  ", Repositories = [" octo/hello-world ", "a-b/c.d_e"], Mode = "patch" });

        Assert.True(result.IsValid);
        Assert.Equal("Fix things", result.Request!.Prompt);
        Assert.Equal(["octo/hello-world", "a-b/c.d_e"], result.Request.Repositories.Select(r => r.Name));
        Assert.All(result.Request.Repositories, r => Assert.Null(r.Source));
        Assert.Equal(JobMode.Patch, result.Request.Mode);
        Assert.Equal("claude-sonnet-4-5", result.Request.Model);
    }

    [Fact]
    public void Six_repositories_are_refused_with_the_limit_named()
    {
        var result = Validator().Validate(new JobRequest { Prompt = "x", Repositories = [.. Enumerable.Range(1, 6).Select(i => $"o/r{i}")] });

        Assert.Contains("at most 5 repositories; 6 were given", Assert.Single(result.Errors["repositories"]));
    }

    [Fact]
    public void Missing_prompt_and_repositories_are_both_reported()
    {
        var result = Validator().Validate(new JobRequest());

        Assert.Contains("prompt", result.Errors.Keys);
        Assert.Contains("repositories", result.Errors.Keys);
    }

    [Fact]
    public void A_prompt_over_20000_characters_is_refused_but_20000_is_fine()
    {
        Assert.True(Validator().Validate(new JobRequest { Prompt = new string('x', 20_000), Repositories = ["o/r"] }).IsValid);

        var result = Validator().Validate(new JobRequest { Prompt = new string('x', 20_001), Repositories = ["o/r"] });

        Assert.Contains("20,001 characters", result.Errors["prompt"][0]);
    }

    [Theory]
    [InlineData("noslash")]
    [InlineData("a/b/c")]
    [InlineData("-owner/repo")]
    [InlineData("owner-/repo")]
    [InlineData("ow--ner/repo")]
    [InlineData("owner/..")]
    [InlineData("owner/re po")]
    [InlineData("own er/repo")]
    [InlineData("owner/")]
    [InlineData("0123456789012345678901234567890123456789/repo")]
    [InlineData("")]
    public void Names_outside_githubs_rules_are_refused_per_field(string name)
    {
        var result = Validator().Validate(new JobRequest { Prompt = "x", Repositories = ["ok/fine", name] });

        Assert.False(result.IsValid);
        Assert.Equal(["repositories[1]"], result.Errors.Keys);
    }

    [Fact]
    public void Duplicates_are_refused_ignoring_case()
    {
        var result = Validator().Validate(new JobRequest { Prompt = "x", Repositories = ["Octo/Repo", "octo/repo"] });

        Assert.Contains("listed twice", result.Errors["repositories[1]"][0]);
    }

    [Fact]
    public void Only_allowed_patterns_pass_when_patterns_are_set()
    {
        var validator = Validator("my-org/*", "other/exact");

        Assert.True(validator.Validate(new JobRequest { Prompt = "x", Repositories = ["MY-ORG/anything", "other/exact"] }).IsValid);
        var refused = validator.Validate(new JobRequest { Prompt = "x", Repositories = ["my-org-evil/x", "other/exactly"] });
        Assert.Equal(["repositories[0]", "repositories[1]"], refused.Errors.Keys.Order());
        Assert.Contains("CodyBatch:AllowedRepositories", refused.Errors["repositories[0]"][0]);
    }

    [Theory]
    [InlineData("pullRequest", JobMode.PullRequest)]
    [InlineData("pull-request", JobMode.PullRequest)]
    [InlineData("PATCH", JobMode.Patch)]
    [InlineData(" Triage ", JobMode.Triage)]
    public void Modes_parse_in_their_spellings(string text, JobMode expected)
    {
        Assert.Equal(expected, Validator().Validate(new JobRequest { Prompt = "x", Repositories = ["o/r"], Mode = text }).Request!.Mode);
    }

    [Fact]
    public void Bad_mode_model_and_title_are_reported_per_field()
    {
        var result = Validator().Validate(new JobRequest
        {
            Prompt = "x", Repositories = ["o/r"], Mode = "merge", Model = "rm -rf /", Title = new string('t', 201),
        });

        Assert.Equal(["mode", "model", "title"], result.Errors.Keys.Order());
    }

    [Theory]
    [InlineData(1_023)]
    [InlineData(64_001)]
    public void A_thinking_budget_outside_what_the_api_takes_is_refused(int budget)
    {
        var result = Validator().Validate(new JobRequest { Prompt = "x", Repositories = ["o/r"], ThinkingBudgetTokens = budget });

        Assert.Equal($"The thinking budget is {budget:N0} tokens; give between 1,024 and 64,000, or leave it out for no extended thinking.", Assert.Single(result.Errors["thinkingBudgetTokens"]));
    }

    [Fact]
    public void A_thinking_budget_is_kept_and_none_means_no_thinking()
    {
        Assert.Equal(8_000, Validator().Validate(new JobRequest { Prompt = "x", Repositories = ["o/r"], ThinkingBudgetTokens = 8_000 }).Request!.ThinkingBudgetTokens);
        Assert.Null(Validator().Validate(new JobRequest { Prompt = "x", Repositories = ["o/r"] }).Request!.ThinkingBudgetTokens);
    }
}
