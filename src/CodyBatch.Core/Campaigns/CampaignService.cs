using CodyBatch.Core.Access;
using CodyBatch.Core.Jobs;

namespace CodyBatch.Core.Campaigns;

/// <summary>What the API and the CLI do with fleet campaigns: preview, create, read, approve, pause, resume, cancel, override triage.</summary>
public sealed class CampaignService(
    ICampaignStore store, CampaignRequestValidator validator, JobService jobs, CampaignSignal signal, TimeProvider time)
{
    /// <summary>Validates and resolves <paramref name="request"/> without storing anything.</summary>
    public Task<CampaignValidation> PreviewAsync(CampaignRequest request, CancellationToken cancellationToken) =>
        validator.ValidateAsync(request, cancellationToken);

    /// <summary>Validates, resolves and stores a campaign in <see cref="CampaignPhase.Preview"/>; nothing runs until it is approved.</summary>
    public async Task<(Campaign? Campaign, CampaignValidation Validation)> CreateAsync(CampaignRequest request, CancellationToken cancellationToken)
    {
        var validation = await validator.ValidateAsync(request, cancellationToken);
        if (validation.Spec is not { } spec)
        {
            return (null, validation);
        }

        var now = time.GetUtcNow();
        var campaign = new Campaign
        {
            Id = JobId.New(now),
            Spec = spec,
            CreatedAt = now,
            RepositoryCount = validation.Selection.Repositories.Count,
            Author = CallerContext.Current.Name,
            AuthorKeyId = CallerContext.Current.KeyId,
            Waiting = "Waiting for the preview to be approved.",
        };
        var rows = validation.Selection.Repositories.Select((name, index) => new CampaignRepository { CampaignId = campaign.Id, Index = index, Repository = name }).ToList();
        await store.CreateAsync(campaign, rows, cancellationToken);
        return (campaign, validation);
    }

    /// <summary>The campaign with its rows, or null.</summary>
    public async Task<(Campaign Campaign, IReadOnlyList<CampaignRepository> Repositories)?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!JobId.IsValid(id) || await store.GetAsync(id, cancellationToken) is not { } campaign)
        {
            return null;
        }

        return (campaign, await store.ListRepositoriesAsync(id, cancellationToken));
    }

    /// <summary>
    /// The campaign and its rows' summed version (<see cref="ICampaignStore.GetRowsVersionAsync"/>), or null: what a
    /// reader that kept a view of the campaign compares to know whether anything changed, without reading the rows.
    /// </summary>
    public async Task<(Campaign Campaign, long RowsVersion)?> GetHeadAsync(string id, CancellationToken cancellationToken)
    {
        if (!JobId.IsValid(id) || await store.GetAsync(id, cancellationToken) is not { } campaign)
        {
            return null;
        }

        return (campaign, await store.GetRowsVersionAsync(id, cancellationToken));
    }

    /// <summary>The campaign's rows in list order (empty when there is no such campaign).</summary>
    public Task<IReadOnlyList<CampaignRepository>> ListRepositoriesAsync(string id, CancellationToken cancellationToken) =>
        JobId.IsValid(id) ? store.ListRepositoriesAsync(id, cancellationToken) : Task.FromResult<IReadOnlyList<CampaignRepository>>([]);

    /// <summary>Every campaign, newest first.</summary>
    public Task<IReadOnlyList<Campaign>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <summary>Approves the preview (triage or the canary starts) or the canary (fan-out starts).</summary>
    public Task<CampaignResult> ApproveAsync(string id, CancellationToken cancellationToken) => ChangeAsync(id, campaign => campaign.Phase switch
    {
        CampaignPhase.Preview => (campaign with
        {
            Phase = campaign.Spec.Triage ? CampaignPhase.Triage : campaign.Spec.CanaryJobs > 0 ? CampaignPhase.Canary : CampaignPhase.FanOut,
            StartedAt = time.GetUtcNow(),
            ApprovedAt = campaign.Spec.Triage || campaign.Spec.CanaryJobs > 0 ? null : time.GetUtcNow(),
            Waiting = null,
        }, null),
        CampaignPhase.AwaitingApproval => (campaign with { Phase = CampaignPhase.FanOut, ApprovedAt = time.GetUtcNow(), Waiting = null }, null),
        _ => (null, $"Campaign {id} is {Describe(campaign.Phase)}; only a preview or a campaign awaiting approval after its canary can be approved."),
    }, cancellationToken);

    /// <summary>Pauses: nothing new starts; what runs finishes.</summary>
    public Task<CampaignResult> PauseAsync(string id, CancellationToken cancellationToken) => ChangeAsync(id, campaign =>
        campaign.IsFinal ? (null, $"Campaign {id} is {Describe(campaign.Phase)}; there is nothing to pause.")
        : campaign.Paused ? (null, $"Campaign {id} is paused already.")
        : (campaign with { Paused = true, Waiting = CampaignAdvancer.PausedWaiting }, null), cancellationToken);

    /// <summary>Resumes a paused campaign.</summary>
    public Task<CampaignResult> ResumeAsync(string id, CancellationToken cancellationToken) => ChangeAsync(id, campaign =>
        !campaign.Paused || campaign.IsFinal ? (null, $"Campaign {id} is not paused.") : (campaign with { Paused = false, Waiting = null }, null), cancellationToken);

    /// <summary>Cancels: no new job starts, the campaign's running jobs are cancelled, the repositories not started are skipped.</summary>
    public async Task<CampaignResult> CancelAsync(string id, CancellationToken cancellationToken)
    {
        var result = await ChangeAsync(id, campaign => campaign.IsFinal
            ? (null, $"Campaign {id} is {Describe(campaign.Phase)} already.")
            : (campaign with { Phase = CampaignPhase.Cancelled, FinishedAt = time.GetUtcNow(), Waiting = null, Following = true }, null), cancellationToken);
        if (result.Campaign is null)
        {
            return result;
        }

        foreach (var row in await store.ListRepositoriesAsync(id, cancellationToken))
        {
            await StopAsync(row, cancellationToken);
        }

        return result;
    }

    // One row of a cancelled campaign: its job is cancelled, a row not started is skipped. A step that created a job
    // just before the cancel may write the row meanwhile; then the skip loses the version race, and the row is read
    // again and stopped as it now is (and the sweep, following the cancelled campaign, cancels what still runs).
    private async Task StopAsync(CampaignRepository row, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            if (row.Phase is RepositoryPhase.Triaging or RepositoryPhase.Running && (row.Phase == RepositoryPhase.Triaging ? row.TriageJobId : row.JobId) is { } jobId)
            {
                await jobs.CancelAsync(jobId, cancellationToken);
            }

            if (row.Phase is not (RepositoryPhase.Pending or RepositoryPhase.Triaging)
                || await store.TryUpdateRepositoryAsync(row with { Phase = RepositoryPhase.Skipped }, cancellationToken) is not null)
            {
                return;
            }

            var index = row.Index;
            if ((await store.ListRepositoriesAsync(row.CampaignId, cancellationToken)).FirstOrDefault(r => r.Index == index) is not { } current)
            {
                return;
            }

            row = current;
        }
    }

    /// <summary>
    /// Overrides triage's answer for one repository: true runs the fix there, false skips it, null follows triage
    /// again. Only before the repository's fix job started.
    /// </summary>
    public async Task<CampaignResult> OverrideTriageAsync(string id, string repository, bool? necessary, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken) is not { } found)
        {
            return CampaignResult.NotFound($"There is no campaign {id}.");
        }

        var row = found.Repositories.FirstOrDefault(r => string.Equals(r.Repository, repository, StringComparison.OrdinalIgnoreCase));
        if (row is null)
        {
            return CampaignResult.NotFound($"Campaign {id} has no repository {repository}.");
        }

        if (found.Campaign.IsFinal || row.Phase is not (RepositoryPhase.Pending or RepositoryPhase.NotNeeded or RepositoryPhase.Triaging))
        {
            return CampaignResult.Conflict($"{row.Repository} is {row.Phase.ToString().ToLowerInvariant()} in a campaign that is {Describe(found.Campaign.Phase)}; triage can be overridden only before its fix job starts.");
        }

        var changed = row with { TriageOverride = necessary };
        if (changed.Phase != RepositoryPhase.Triaging)
        {
            changed = changed with { Phase = changed.NeedsFix ? RepositoryPhase.Pending : RepositoryPhase.NotNeeded };
        }

        if (await store.TryUpdateRepositoryAsync(changed, cancellationToken) is null)
        {
            return CampaignResult.Conflict($"{row.Repository} changed meanwhile; read the campaign again and retry.");
        }

        signal.Notify();
        return CampaignResult.Done(found.Campaign);
    }

    private async Task<CampaignResult> ChangeAsync(string id, Func<Campaign, (Campaign? Changed, string? Problem)> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var campaign = JobId.IsValid(id) ? await store.GetAsync(id, cancellationToken) : null;
            if (campaign is null)
            {
                return CampaignResult.NotFound($"There is no campaign {id}.");
            }

            var (changed, problem) = change(campaign);
            if (changed is null)
            {
                return CampaignResult.Conflict(problem ?? "Nothing to change.");
            }

            if (await store.TryUpdateAsync(changed, cancellationToken) is { } stored)
            {
                signal.Notify();
                return CampaignResult.Done(stored);
            }
        }

        return CampaignResult.Conflict($"Campaign {id} kept changing; read it again and retry.");
    }

    /// <summary>The phase in words (<c>awaiting approval</c>, <c>stopped at budget</c>).</summary>
    public static string Describe(CampaignPhase phase) => phase switch
    {
        CampaignPhase.AwaitingApproval => "awaiting approval",
        CampaignPhase.FanOut => "fanning out",
        CampaignPhase.StoppedAtBudget => "stopped at budget",
        _ => phase.ToString().ToLowerInvariant(),
    };
}
