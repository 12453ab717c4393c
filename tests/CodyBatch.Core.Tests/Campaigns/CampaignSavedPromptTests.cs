using CodyBatch.Core.Campaigns;
using CodyBatch.Core.Prompts;
using CodyBatch.Storage.Sqlite.Documents;

namespace CodyBatch.Core.Tests.Campaigns;

/// <summary>What a campaign's job settings take from its saved prompt: what the job leaves out, only when it has no prompt.</summary>
public sealed class CampaignSavedPromptTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _folder = new();
    private readonly SqliteSavedPromptStore _prompts;
    private readonly CampaignRequestValidator _validator;

    public CampaignSavedPromptTests()
    {
        var host = Options.Create(new CodyBatchOptions());
        _prompts = new SqliteSavedPromptStore(new SqliteJobStore(new SqliteStoreLocation(_folder.Combine("codybatch.db"))));
        _validator = new CampaignRequestValidator(new JobRequestValidator(host), new SelectionResolver(host), _prompts);
    }

    public void Dispose() => _folder.Dispose();

    private async Task<JobRequest> SpecJobAsync(string savedPromptId, JobRequest job)
    {
        var validation = await _validator.ValidateAsync(
            new CampaignRequest { SavedPromptId = savedPromptId, Job = job, Selection = new RepositorySelection { Repositories = ["octo/app", "octo/lib"] } },
            CancellationToken.None);
        Assert.Empty(validation.Errors);
        return validation.Spec!.Job;
    }

    [Fact]
    public async Task The_saved_prompts_shell_and_network_fill_what_the_job_leaves_out_and_the_jobs_own_win()
    {
        var saved = new SavedPrompt
        {
            Id = SavedPromptService.NewId(T0), Name = "Offline", Prompt = "Fix it offline.", Shell = false, Network = JobNetwork.None, CreatedAt = T0, UpdatedAt = T0,
        };
        await _prompts.CreateAsync(saved, CancellationToken.None);

        var fromSaved = await SpecJobAsync(saved.Id, new JobRequest());
        var ownNetwork = await SpecJobAsync(saved.Id, new JobRequest { Network = "registries" });
        var ownPrompt = await SpecJobAsync(saved.Id, new JobRequest { Prompt = "Fix it my way." });

        Assert.Equal(("Fix it offline.", false, "none"), (fromSaved.Prompt, fromSaved.Shell, fromSaved.Network));
        Assert.Equal((false, "registries"), (ownNetwork.Shell, ownNetwork.Network));
        Assert.Equal(("Fix it my way.", null, null), (ownPrompt.Prompt, ownPrompt.Shell, ownPrompt.Network));
    }
}
