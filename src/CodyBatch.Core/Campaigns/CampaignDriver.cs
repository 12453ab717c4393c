using System.Collections.Concurrent;
using CodyBatch.Core.Jobs;
using Microsoft.Extensions.Logging;

namespace CodyBatch.Core.Campaigns;

/// <summary>
/// Moves campaigns forward: reads their jobs onto the repository rows, asks <see cref="CampaignAdvancer"/> what to
/// do, creates the jobs it planned (in the campaign, as the campaign's author) and stores the rows and the phase.
/// The server calls it when a job ends and on a timer; on AWS <c>codybatch sweep</c> does. A campaign is stepped by
/// one process at a time (a short lease on the campaign record).
/// </summary>
public sealed partial class CampaignDriver(
    ICampaignStore campaigns, IJobStore jobs, JobService jobService, TimeProvider time, ILogger<CampaignDriver> logger, IEnumerable<ICampaignStepObserver> observers)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private readonly string _owner = "campaigns-" + Guid.NewGuid().ToString("N")[..12];
    private readonly CampaignJobStarter _starter = new(campaigns, jobService, logger);

    // Per campaign, the version of each followed job as this process last brought it onto the rows.
    private readonly ConcurrentDictionary<string, Dictionary<string, long>> _seen = new(StringComparer.Ordinal);

    /// <summary>Steps every campaign that runs; returns the earliest time one waits for by the clock, or null.</summary>
    public async Task<DateTimeOffset?> SweepAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? wake = null;
        foreach (var campaign in await campaigns.ListAsync(cancellationToken))
        {
            // Following is null on a campaign stored before the flag existed: stepped once, which sets it.
            if ((campaign.IsFinal && campaign.Starting.Count == 0 && campaign.Following == false) || campaign.Phase == CampaignPhase.Preview)
            {
                continue;
            }

            try
            {
                if (await StepAsync(campaign.Id, cancellationToken) is { WakeAt: { } at } && (wake is null || at < wake))
                {
                    wake = at;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One campaign's failure never stops the others.
                LogStepFailed(logger, campaign.Id, e);
            }
        }

        return wake;
    }

    /// <summary>One step of one campaign; null when it does not exist or another process is stepping it.</summary>
    public async Task<CampaignDecision?> StepAsync(string campaignId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var campaign = await campaigns.GetAsync(campaignId, cancellationToken);
        if (campaign is null || (campaign.LeaseOwner is not null && campaign.LeaseOwner != _owner && campaign.LeaseExpiresAt > now))
        {
            return null;
        }

        campaign = await campaigns.TryUpdateAsync(campaign with { LeaseOwner = _owner, LeaseExpiresAt = now + Lease }, cancellationToken);
        if (campaign is null)
        {
            return null;
        }

        var startPhase = campaign.Phase;
        var pausedHere = false;
        try
        {
            var rows = (await SyncAsync(campaign, now, cancellationToken)).ToList();
            string? problem = null;
            IReadOnlyList<StartingJob> held = [];
            if (campaign.Starting.Count > 0)
            {
                // The last step stopped between recording its jobs and writing their rows (or was paused there): finish that first.
                (problem, held) = await _starter.StartAsync(campaign, campaign.Starting, rows, cancellationToken);
                campaign = campaign with { Starting = held };
            }

            if (campaign.Phase == CampaignPhase.Cancelled)
            {
                await StopCancelledAsync(rows, cancellationToken);
            }

            var decision = problem is null && held.Count == 0 ? CampaignAdvancer.Decide(campaign, rows, now)
                : new(campaign.Phase, [], held.Count > 0 ? CampaignAdvancer.PausedWaiting : null, null);
            if (decision.Jobs.Count > 0)
            {
                var starting = decision.Jobs.Select(j => new StartingJob(JobId.New(now), j.Kind, [.. j.Repositories.Select(r => r.Index)])).ToList();
                if (await campaigns.TryUpdateAsync(campaign with { Starting = starting }, cancellationToken) is { } recorded)
                {
                    campaign = recorded;
                    (problem, held) = await _starter.StartAsync(campaign, starting, rows, cancellationToken);
                    campaign = campaign with { Starting = held };
                    decision = held.Count > 0 ? decision with { Waiting = CampaignAdvancer.PausedWaiting } : decision;
                }
                else
                {
                    // A user acted meanwhile (their write wins); the step their action asks for plans again.
                    decision = decision with { Jobs = [] };
                }
            }

            var phase = decision.Phase;
            pausedHere = problem is not null;
            campaign = campaign with
            {
                Phase = phase,
                Paused = campaign.Paused || problem is not null,
                Waiting = problem ?? decision.Waiting,
                FinishedAt = campaign.FinishedAt ?? (phase is CampaignPhase.Done or CampaignPhase.StoppedAtBudget ? now : null),
                Following = rows.Any(r => StillFollowed(r) || (phase == CampaignPhase.Cancelled && r.Phase is RepositoryPhase.Running or RepositoryPhase.Triaging)),
            };
            if (campaign.IsFinal && campaign.Following == false)
            {
                _seen.TryRemove(campaign.Id, out _);
            }

            return decision;
        }
        finally
        {
            await ReleaseAsync(campaign, startPhase, pausedHere, cancellationToken);
            await TellObserversAsync(campaign.Id, cancellationToken);
        }
    }

    private async Task TellObserversAsync(string campaignId, CancellationToken cancellationToken)
    {
        foreach (var observer in observers)
        {
            try
            {
                await observer.SteppedAsync(campaignId, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogObserverFailed(logger, campaignId, e);
            }
        }
    }

    private async Task ReleaseAsync(Campaign campaign, CampaignPhase startPhase, bool pausedHere, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            if (await campaigns.TryUpdateAsync(campaign with { LeaseOwner = null, LeaseExpiresAt = null }, cancellationToken) is not null)
            {
                return;
            }

            // A user's approve, pause, resume or cancel landed meanwhile: theirs wins, this step's findings are added.
            var stored = await campaigns.GetAsync(campaign.Id, cancellationToken);
            if (stored is null)
            {
                return;
            }

            var userMoved = stored.Phase != startPhase;
            campaign = stored with
            {
                Phase = userMoved ? stored.Phase : campaign.Phase,
                Waiting = userMoved ? stored.Waiting : campaign.Waiting,
                Paused = stored.Paused || pausedHere,
                FinishedAt = stored.FinishedAt ?? (userMoved ? null : campaign.FinishedAt),
                Starting = campaign.Starting,
                // A cancel asks the sweep to follow the campaign until its jobs ended; the next step decides again.
                Following = campaign.Following == true || (userMoved && stored.Following != false),
            };
        }
    }

    // Reads onto the rows only the jobs that changed since this process last brought them onto the rows: one query
    // for the versions of the jobs the rows follow (running or triaging, or done with a pull request still open),
    // then each job whose version moved. A job is marked seen only once every row it changed was stored.
    private async Task<IReadOnlyList<CampaignRepository>> SyncAsync(Campaign campaign, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = (await campaigns.ListRepositoriesAsync(campaign.Id, cancellationToken)).ToList();
        var followed = rows.Select((row, index) => (Row: row, Index: index, JobId: FollowedJob(row)))
            .Where(x => x.JobId is not null)
            .GroupBy(x => x.JobId!, StringComparer.Ordinal)
            .ToList();
        var seen = _seen.GetValueOrDefault(campaign.Id) ?? new Dictionary<string, long>(StringComparer.Ordinal);
        var nowSeen = new Dictionary<string, long>(StringComparer.Ordinal);
        var versions = followed.Count == 0
            ? new Dictionary<string, long>()
            : await jobs.GetVersionsAsync([.. followed.Select(g => g.Key)], cancellationToken);
        foreach (var group in followed)
        {
            if (!versions.TryGetValue(group.Key, out var version))
            {
                continue;
            }

            if (seen.TryGetValue(group.Key, out var last) && last == version)
            {
                nowSeen[group.Key] = version;
                continue;
            }

            if (await jobs.GetAsync(group.Key, cancellationToken) is not { } job)
            {
                continue;
            }

            var stored = true;
            foreach (var (row, index, _) in group)
            {
                if (job.FindRun(row.Repository) is not { } run)
                {
                    continue;
                }

                var updated = row.Phase == RepositoryPhase.Triaging ? RunReading.Triaged(row, run) : RunReading.Fixed(row, run, now);
                if (updated != row)
                {
                    var written = await campaigns.TryUpdateRepositoryAsync(updated, cancellationToken);
                    rows[index] = written ?? row;
                    stored &= written is not null;
                }
            }

            if (stored)
            {
                nowSeen[group.Key] = job.Version;
            }
        }

        _seen[campaign.Id] = nowSeen;
        return rows;
    }

    // A cancelled campaign's jobs all end cancelled, whatever the order the cancel and a step's start took: a row that
    // still runs after the cancel (its job created just before it) has its job cancelled here (a no-op once it is), and
    // a row not started is skipped (the cancel does both itself; this finishes what it could not).
    private async Task StopCancelledAsync(List<CampaignRepository> rows, CancellationToken cancellationToken)
    {
        var running = rows.Where(r => r.Phase is RepositoryPhase.Running or RepositoryPhase.Triaging)
            .Select(r => r.Phase == RepositoryPhase.Triaging ? r.TriageJobId : r.JobId)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);
        foreach (var jobId in running)
        {
            await jobService.CancelAsync(jobId, cancellationToken);
        }

        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Phase == RepositoryPhase.Pending && await campaigns.TryUpdateRepositoryAsync(rows[i] with { Phase = RepositoryPhase.Skipped }, cancellationToken) is { } skipped)
            {
                rows[i] = skipped;
            }
        }
    }

    // Rows that can still change after the campaign ends: an open pull request (merged or closed later) or a held change (published later).
    private static bool StillFollowed(CampaignRepository row) =>
        row.Phase == RepositoryPhase.Done && (row.PullRequestState == "open" || row.PublishHeld);

    // The job whose runs a row follows: its triage job while triaging, its fix job while it runs or its pull request is open.
    private static string? FollowedJob(CampaignRepository row) =>
        row.Phase == RepositoryPhase.Triaging ? row.TriageJobId
        : row.Phase == RepositoryPhase.Running || (row.Phase == RepositoryPhase.Done && row.PullRequestState is null or "open") ? row.JobId
        : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "After a step of campaign {CampaignId}, an observer failed")]
    private static partial void LogObserverFailed(ILogger logger, string campaignId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Campaign {CampaignId} could not be advanced")]
    private static partial void LogStepFailed(ILogger logger, string campaignId, Exception exception);
}
