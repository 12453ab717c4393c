using CodyBatch.Core.Campaigns;

namespace CodyBatch.Core.Tests.Campaigns;

/// <summary>The preview's canary size is what the advancer starts: clipped to the pull request caps, said in a sentence.</summary>
public sealed class CanarySizeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    public static TheoryData<int, int?, int?, string?, int, string?> Cases => new()
    {
        // canary jobs, P, H, mode → repositories, the cap named
        { 1, null, null, null, 5, null },
        { 1, 20, 10, null, 5, null },
        { 1, 2, null, null, 2, "maxOpenPullRequests is 2" },
        { 2, 7, 3, null, 3, "maxPullRequestsPerHour is 3" },
        { 2, 4, 6, null, 4, "maxOpenPullRequests is 4" },
        { 1, 2, 1, "patch", 5, null },
        { 3, 30, null, null, 12, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_preview_says_what_the_canary_will_start(int canaryJobs, int? maxOpen, int? perHour, string? mode, int expected, string? named)
    {
        var campaign = CampaignAdvancerTests.CampaignOf(CampaignPhase.Canary, s => s with
        {
            CanaryJobs = canaryJobs,
            MaxOpenPullRequests = maxOpen,
            MaxPullRequestsPerHour = perHour,
            Job = s.Job with { Mode = mode },
            Concurrency = 10,
        });

        var (repositories, note) = CanarySize.Of(campaign.Spec, 12);
        var started = CampaignAdvancer.Decide(campaign, CampaignAdvancerTests.Rows(12), Now).Jobs.Sum(j => j.Repositories.Count);

        Assert.Equal(expected, repositories);
        Assert.Equal(started, repositories);
        if (named is null)
        {
            Assert.Null(note);
        }
        else
        {
            Assert.Contains(named, note, StringComparison.Ordinal);
            Assert.Contains($"takes {expected} of the {Math.Min(12, canaryJobs * 5)} repositories", note, StringComparison.Ordinal);
        }
    }
}
