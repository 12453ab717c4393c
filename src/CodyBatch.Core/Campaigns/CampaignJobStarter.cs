using CodyBatch.Core.Access;
using CodyBatch.Core.Jobs;
using Microsoft.Extensions.Logging;

namespace CodyBatch.Core.Campaigns;

/// <summary>
/// Starts the jobs a campaign step decided on, in an order a crash cannot turn into a second job for a repository:
/// the jobs' ids and repositories are recorded on the campaign first (<see cref="Campaign.Starting"/>), then each job
/// is created with its recorded id (a job that exists already counts as started), then its rows are written. A step
/// that stopped anywhere on the way is finished by the next one from the record.
/// </summary>
internal sealed partial class CampaignJobStarter(ICampaignStore campaigns, JobService jobService, ILogger logger)
{
    /// <summary>
    /// Creates each of <paramref name="starting"/>'s jobs (unless it exists) and writes its rows into
    /// <paramref name="rows"/> and the store. Returns why the campaign pauses when a job was refused (else null) and
    /// the recorded jobs not started because the campaign was paused meanwhile: they stay recorded and start once it
    /// is resumed. Throws when a row cannot be written; the record stays for the next step.
    /// </summary>
    public async Task<(string? Problem, IReadOnlyList<StartingJob> Held)> StartAsync(
        Campaign campaign, IReadOnlyList<StartingJob> starting, List<CampaignRepository> rows, CancellationToken cancellationToken)
    {
        var held = new List<StartingJob>();
        foreach (var start in starting)
        {
            // A user may cancel or pause while a step starts its jobs: read the campaign again before creating each one.
            if (!campaign.IsFinal)
            {
                var stored = await campaigns.GetAsync(campaign.Id, cancellationToken);
                if (stored is not { IsFinal: false })
                {
                    campaign = campaign with { Phase = CampaignPhase.Cancelled };
                }
                else if (stored.Paused && await jobService.GetAsync(start.JobId, cancellationToken) is null)
                {
                    // Paused: nothing new starts. A job not created yet stays recorded and starts after the resume (one
                    // that exists runs anyway, so its rows are written).
                    held.Add(start);
                    continue;
                }
            }

            if (campaign.IsFinal)
            {
                // Cancelled before its jobs were all started: a job that exists is cancelled, none is created.
                await jobService.CancelAsync(start.JobId, cancellationToken);
                continue;
            }

            var positions = start.Indexes.Select(i => rows.FindIndex(r => r.Index == i)).ToList();
            if (positions.Contains(-1))
            {
                throw new InvalidOperationException($"Campaign {campaign.Id} has no row for one of the indexes of job {start.JobId}.");
            }

            var planned = positions.Select(p => rows[p]).ToList();
            var request = RequestFor(campaign, start.Kind, planned);
            Job? job;
            try
            {
                using var caller = CallerContext.Use(new Caller(campaign.Author ?? "campaign", Role.Operator, campaign.AuthorKeyId));
                var (created, validation) = await jobService.CreateAsync(request, cancellationToken, campaign.Id, start.JobId);
                job = created;
                if (job is null)
                {
                    var errors = string.Join(" ", validation.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));
                    return ($"Paused: a {Kind(start.Kind)} job was refused ({errors}). Fix the cause, then resume.", []);
                }
            }
            catch (SpendCapReachedException e)
            {
                return ($"Paused: {e.Message} Resume once the cap allows it.", []);
            }

            LogJobStarted(logger, campaign.Id, job.Id, start.Kind, planned.Count);
            foreach (var position in positions)
            {
                rows[position] = await WriteStartedAsync(rows[position], start.Kind, job.Id, cancellationToken);
            }
        }

        if (held.Count > 0)
        {
            LogStartsHeld(logger, campaign.Id, held.Count);
        }

        return (null, held);
    }

    private static JobRequest RequestFor(Campaign campaign, CampaignJobKind kind, IReadOnlyList<CampaignRepository> planned)
    {
        var spec = campaign.Spec;
        var request = spec.Job with
        {
            Repositories = [.. planned.Select(r => r.Repository)],
            Title = $"{spec.Title ?? "Campaign " + campaign.Id} · {Kind(kind)} {planned[0].Index / CampaignLimits.RepositoriesPerJob + 1}",
        };
        return kind == CampaignJobKind.Triage ? request with { Mode = "triage", Model = spec.TriageModel, Checks = [] } : request;
    }

    private async Task<CampaignRepository> WriteStartedAsync(CampaignRepository row, CampaignJobKind kind, string jobId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if ((kind == CampaignJobKind.Triage ? row.TriageJobId : row.JobId) == jobId)
            {
                // Written before the step stopped.
                return row;
            }

            var started = kind == CampaignJobKind.Triage
                ? row with { TriageJobId = jobId, Phase = RepositoryPhase.Triaging }
                : row with { JobId = jobId, Phase = RepositoryPhase.Running, Canary = row.Canary || kind == CampaignJobKind.Canary, RunStatus = "queued" };
            if (await campaigns.TryUpdateRepositoryAsync(started, cancellationToken) is { } stored)
            {
                return stored;
            }

            // A hand override changed the row meanwhile: read it again; the job runs it either way.
            var index = row.Index;
            row = (await campaigns.ListRepositoriesAsync(row.CampaignId, cancellationToken)).Single(r => r.Index == index);
            if (row.Phase == RepositoryPhase.Skipped)
            {
                // The campaign was cancelled between creating the job and writing this row: the job does not run.
                await jobService.CancelAsync(jobId, cancellationToken);
                return row;
            }
        }

        throw new InvalidOperationException($"Row {row.Index} ({row.Repository}) of campaign {row.CampaignId} kept changing; the next step writes it.");
    }

    private static string Kind(CampaignJobKind kind) => kind.ToString().ToLowerInvariant();

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} was paused while starting jobs; {Count} recorded job(s) start after the resume")]
    private static partial void LogStartsHeld(ILogger logger, string campaignId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} started job {JobId} ({Kind}, {Count} repositories)")]
    private static partial void LogJobStarted(ILogger logger, string campaignId, string jobId, CampaignJobKind kind, int count);
}
