using Amazon.DynamoDBv2.Model;
using CodyBatch.Aws.Jobs;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;

namespace CodyBatch.Infra.Tests.EventBridge;

/// <summary>
/// The dispatch pipe's filters, read from the synthesized template and evaluated with EventBridge's matching rules
/// against stream records of the items the DynamoDB store really writes.
/// </summary>
[Collection(SynthesizedStackCollection.Name)]
public sealed class DispatchFilterTests(SynthesizedStack stack)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private JsonNode Pipe => stack.Resources("AWS::Pipes::Pipe").Single()["Properties"]!;

    private List<string> Patterns => [.. Pipe["SourceParameters"]!["FilterCriteria"]!["Filters"]!.AsArray().Select(f => f!["Pattern"]!.GetValue<string>())];

    private bool Dispatches(JsonNode record) => Patterns.Any(p => EventPattern.Matches(p, record));

    private static Dictionary<string, AttributeValue> Item(Job job, long version = 1) => JobItems.ToItem(job, new Dictionary<string, string>(), version, T0);

    private static Job NewJob() => JobLifecycle.Create("Fix the bug ünïcødé", null, JobMode.PullRequest, "claude-sonnet-4-5", ["acme/a", "acme/b"], T0);

    [Fact]
    public void A_new_job_is_dispatched_with_its_id()
    {
        var job = NewJob();
        var record = StreamRecord.Of(null, Item(job));

        Assert.True(Dispatches(record));
        var jobIdPath = Pipe["TargetParameters"]!["BatchJobParameters"]!["Parameters"]!["jobId"]!.GetValue<string>();
        Assert.Equal(job.Id, EventPattern.Select(jobIdPath, record));
    }

    [Fact]
    public void Claims_lease_renewals_stage_changes_and_activity_of_an_open_job_are_not_dispatched()
    {
        var job = NewJob();
        var claimed = JobLifecycle.TryClaim(job, "acme/a", "w1", T0, Lease)!;
        var renewed = JobLifecycle.Renew(claimed, "acme/a", "w1", T0.AddSeconds(10), Lease, new TokenUsage(100, 10)).Job;
        var advanced = JobLifecycle.Advance(renewed, "acme/a", "w1", RunStatus.Analyzing, T0.AddSeconds(11));
        var busy = JobLifecycle.ShowActivity(advanced, "acme/a", "w1", "Waiting out a rate limit", T0.AddSeconds(12));
        var oneFinished = JobLifecycle.Finish(JobLifecycle.Advance(busy, "acme/a", "w1", RunStatus.Publishing, T0), "acme/a", "w1", Succeeded(), T0.AddSeconds(20));

        Job[] history = [job, claimed, renewed, advanced, busy, oneFinished];
        for (var i = 1; i < history.Length; i++)
        {
            Assert.False(Dispatches(StreamRecord.Of(Item(history[i - 1], i), Item(history[i], i + 1))), $"write {i} would submit another Batch job");
        }
    }

    [Fact]
    public void A_job_finishing_is_not_dispatched()
    {
        var running = JobLifecycle.TryClaim(NewJob() with { Runs = [NewJob().Runs[0]] }, "acme/a", "w1", T0, Lease)!;
        var publishing = JobLifecycle.Advance(JobLifecycle.Advance(running, "acme/a", "w1", RunStatus.Analyzing, T0), "acme/a", "w1", RunStatus.Publishing, T0);
        var finished = JobLifecycle.Finish(publishing, "acme/a", "w1", Succeeded(), T0.AddMinutes(5));
        Assert.Equal(JobStatus.Completed, finished.Status);

        Assert.False(Dispatches(StreamRecord.Of(Item(publishing, 4), Item(finished, 5))));
    }

    [Fact]
    public void A_retry_that_reopens_a_finished_job_is_dispatched()
    {
        var single = NewJob() with { Runs = [NewJob().Runs[0]] };
        var claimed = JobLifecycle.TryClaim(single, "acme/a", "w1", T0, Lease)!;
        var failed = JobLifecycle.Finish(claimed, "acme/a", "w1", new RunOutcome { Status = RunStatus.Failed, Error = "Claude could not answer." }, T0.AddMinutes(1));
        var retried = JobLifecycle.Retry(failed, "acme/a", T0.AddMinutes(2));

        var record = StreamRecord.Of(Item(failed, 3), Item(retried, 4));

        Assert.True(Dispatches(record));
        Assert.Equal(single.Id, EventPattern.Select("$.dynamodb.NewImage.id.S", record));
    }

    [Fact]
    public void The_reconciler_mark_is_dispatched_when_it_appears_and_not_when_a_worker_then_writes()
    {
        var job = JobLifecycle.TryClaim(NewJob(), "acme/a", "w1", T0, Lease)!;
        var before = Item(job, 2);
        var marked = new Dictionary<string, AttributeValue>(before) { ["redispatchAt"] = new() { S = "2026-11-29T12:10:00.0000000Z" } };
        var claimedAgain = Item(JobLifecycle.TryClaim(job, "acme/a", "w2", T0.AddMinutes(10), Lease)!, 3);
        var cleared = new Dictionary<string, AttributeValue>(marked);
        cleared.Remove("redispatchAt");

        Assert.True(Dispatches(StreamRecord.Of(before, marked)));
        Assert.False(Dispatches(StreamRecord.Of(marked, claimedAgain)));
        Assert.False(Dispatches(StreamRecord.Of(marked, cleared)));
    }

    [Fact]
    public void Other_items_in_the_table_and_deletions_are_not_dispatched()
    {
        var other = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "CAMPAIGN#1" }, ["sk"] = new() { S = "CAMPAIGN" }, ["name"] = new() { S = "x" } };

        Assert.False(Dispatches(StreamRecord.Of(null, other)));
        Assert.False(Dispatches(StreamRecord.Of(Item(NewJob()), null)));
    }

    [Fact]
    public void The_reviewed_pattern_tested_exists_on_a_map_and_so_matched_every_renewal()
    {
        // The filter this stack had before: "exists" on OldImage.open, which is {"S":"OPEN"} and never a leaf.
        const string Reviewed = """{"eventName":["MODIFY"],"dynamodb":{"NewImage":{"open":{"S":["OPEN"]}},"OldImage":{"open":[{"exists":false}]}}}""";
        var open = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "JOB#1" }, ["sk"] = new() { S = "JOB" }, ["open"] = new() { S = "OPEN" }, ["version"] = new() { N = "3" } };
        var renewed = new Dictionary<string, AttributeValue>(open) { ["version"] = new() { N = "4" } };
        var onLeaf = Reviewed.Replace("\"open\":[{\"exists\":false}]", "\"open\":{\"S\":[{\"exists\":false}]}", StringComparison.Ordinal);

        Assert.True(EventPattern.Matches(Reviewed, StreamRecord.Of(open, renewed)));
        Assert.False(EventPattern.Matches(onLeaf, StreamRecord.Of(open, renewed)));
    }

    private static RunOutcome Succeeded() => new() { Status = RunStatus.Succeeded, WereChangesNecessary = true, Summary = "Done." };
}
