using CodyBatch.Core.Agent;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Jobs;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Tests;

public sealed class TriageRequestTests
{
    private static JobRequestValidator Validator() => new(
        Options.Create(new CodyBatchOptions { DefaultModel = "claude-sonnet-4-5" }),
        triageOptions: Options.Create(new TriageOptions { TriageModel = "claude-haiku-4-5" }));

    [Fact]
    public void A_triage_job_takes_the_triage_model_unless_it_names_one()
    {
        var plain = Validator().Validate(new JobRequest { Prompt = "x", Repositories = ["o/r"], Mode = "triage" });
        var named = Validator().Validate(new JobRequest { Prompt = "x", Repositories = ["o/r"], Mode = "triage", Model = "claude-opus-4-5" });
        var fix = Validator().Validate(new JobRequest { Prompt = "x", Repositories = ["o/r"] });

        Assert.Equal((JobMode.Triage, "claude-haiku-4-5"), (plain.Request!.Mode, plain.Request.Model));
        Assert.Equal("claude-opus-4-5", named.Request!.Model);
        Assert.Equal("claude-sonnet-4-5", fix.Request!.Model);
    }

    [Fact]
    public void A_triage_run_cannot_be_published_later()
    {
        var job = JobLifecycle.Create("x", null, JobMode.Triage, "claude-haiku-4-5", ["o/r"], DateTimeOffset.UnixEpoch);

        var (published, problem) = JobLifecycle.RequestPublish(job, "o/r", DateTimeOffset.UnixEpoch);

        Assert.Null(published);
        Assert.Contains("triage job", problem, StringComparison.Ordinal);
    }
}
