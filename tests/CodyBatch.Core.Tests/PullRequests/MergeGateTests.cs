namespace CodyBatch.Core.Tests.PullRequests;

public sealed class MergeGateTests
{
    // Checks and review as the tracking derives them from the signals.
    private static PullRequest Pull(ChecksState? ci = ChecksState.Success, string? review = null, bool draft = false, bool? mergeable = true)
    {
        var pull = Signalled(ci, review, draft, mergeable);
        return pull with { Checks = pull.Signals.Checks, Review = pull.Signals.Review };
    }

    private static PullRequest Signalled(ChecksState? ci, string? review, bool draft, bool? mergeable) => new()
    {
        Url = "https://github.example/octo/app/pull/1",
        Number = 1,
        Branch = "codybatch/x-app",
        HeadSha = "abc1234def",
        Draft = draft,
        Mergeable = mergeable,
        Signals = new PullRequestSignals
        {
            CheckRuns = ci is { } state ? new Dictionary<string, ChecksState> { ["ci"] = state, ["lint"] = ChecksState.Success } : new Dictionary<string, ChecksState>(),
            Reviews = review is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["alice"] = review },
        },
    };

    [Fact]
    public void Green_checks_and_no_objection_merge()
    {
        Assert.Equal(MergeAction.Merge, MergeGate.Decide(Pull()).Action);
        Assert.Equal(MergeAction.Merge, MergeGate.Decide(Pull(review: "approved")).Action);
    }

    [Theory]
    [InlineData("draft", "it is a draft")]
    [InlineData("changes", "a reviewer requested changes")]
    [InlineData("conflict", "it conflicts with the base branch")]
    [InlineData("failing", "checks fail on the head: ci")]
    [InlineData("nothing", "no check has reported on the head yet")]
    public void Never_a_draft_changes_requested_a_conflict_a_failing_check_or_no_check_at_all(string what, string reason)
    {
        var pull = what switch
        {
            "draft" => Pull(draft: true),
            "changes" => Pull(review: "changes_requested"),
            "conflict" => Pull(mergeable: false),
            "failing" => Pull(ChecksState.Failure, review: "approved"),
            _ => Pull(ci: null),
        };

        Assert.Equal(new MergeDecision(MergeAction.None, reason), MergeGate.Decide(pull));
    }

    [Fact]
    public void Pending_checks_ask_for_auto_merge_once_and_never_a_merge()
    {
        var pending = Pull(ChecksState.Pending);

        Assert.Equal(new MergeDecision(MergeAction.EnableAutoMerge, "checks are pending: ci"), MergeGate.Decide(pending));
        Assert.Equal(MergeAction.None, MergeGate.Decide(pending with { AutoMergeEnabled = true }).Action);
        Assert.Equal(MergeAction.None, MergeGate.Decide(Pull() with { AutoMergeEnabled = true }).Action);
        Assert.Equal(MergeAction.None, MergeGate.Decide(pending with { AutoMergeUnavailable = true }).Action);
        Assert.Equal(MergeAction.None, MergeGate.Decide(Pull(ChecksState.Pending, review: "changes_requested")).Action);
    }

    [Fact]
    public void A_merged_or_closed_pull_request_is_left_alone()
    {
        Assert.Equal(MergeAction.None, MergeGate.Decide(Pull() with { State = PullRequestState.Merged }).Action);
        Assert.Equal(MergeAction.None, MergeGate.Decide(Pull() with { State = PullRequestState.Closed }).Action);
    }

    [Fact]
    public void The_job_asks_for_merge_choices_over_the_servers_defaults_and_bad_ones_name_their_field()
    {
        var errors = new Dictionary<string, string>();
        var defaults = new PublishDefaultsOptions { MergeWhen = "green", MergeMethod = "squash" };

        var fromDefaults = PublishSettingsValidator.Resolve(null, defaults, (f, m) => errors[f] = m);
        var chosen = PublishSettingsValidator.Resolve(new PublishChoices { Merge = new MergeChoices { When = "never", Method = "Rebase" } }, defaults, (f, m) => errors[f] = m);
        Assert.Empty(errors);
        PublishSettingsValidator.Resolve(new PublishChoices { Merge = new MergeChoices { When = "always" } }, new PublishDefaultsOptions(), (f, m) => errors[f] = m);

        Assert.Equal(new MergePolicy(MergeWhen.Green, MergeMethod.Squash), fromDefaults.Merge);
        Assert.Equal(new MergePolicy(MergeWhen.Never, MergeMethod.Rebase), chosen.Merge);
        Assert.Equal("\"always\" is not a merge choice: use never or green.", Assert.Single(errors).Value);
        Assert.Equal("MergeWhen", PublishSettingsValidator.SettingName("publish.merge.when"));
    }
}
