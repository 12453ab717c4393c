using CodyBatch.Core.Admission;
using CodyBatch.Core.Engine;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Prompts;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Schedules;

/// <summary>
/// Handles the firings that are due: starts a job (the first in a new campaign, later ones as
/// re-runs in the schedule's campaign), skips a firing while the previous job still runs, and
/// applies <see cref="ScheduleOptions.MissedFirings"/> to firings missed while nothing ran.
/// The schedule is claimed with an optimistic update before its job is stored, so two processes
/// never start the same firing twice.
/// </summary>
public sealed class ScheduleFirer(
    IScheduleStore schedules,
    ISavedPromptStore prompts,
    IJobStore jobs,
    JobRequestValidator validator,
    WorkSignal signal,
    IJobAdmission admission,
    IOptions<ScheduleOptions> options,
    TimeProvider time,
    Access.AuditTrail? audit = null,
    Access.SpendService? spend = null)
{
    /// <summary>Handles every enabled schedule's due firings; returns what was recorded, per schedule.</summary>
    public async Task<IReadOnlyList<(string ScheduleId, ScheduleFiring Firing)>> FireDueAsync(CancellationToken cancellationToken)
    {
        var recorded = new List<(string, ScheduleFiring)>();
        foreach (var schedule in await schedules.ListAsync(cancellationToken))
        {
            if (schedule.Enabled)
            {
                recorded.AddRange((await FireAsync(schedule, cancellationToken)).Select(f => (schedule.Id, f)));
            }
        }

        return recorded;
    }

    private async Task<IReadOnlyList<ScheduleFiring>> FireAsync(Schedule schedule, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = ScheduleCalendar.Between(schedule, schedule.CheckedThrough, now);
        if (due.Count == 0)
        {
            return [];
        }

        var settings = options.Value;
        var latest = due[^1];
        var onTime = latest >= now - settings.MissedAfter;
        var missed = due.Where(d => d < now - settings.MissedAfter).ToList();
        var firings = new List<ScheduleFiring>();
        var fire = onTime || settings.MissedFirings == MissedFiringPolicy.RunOnce;
        var skippedMissed = fire && !onTime ? missed.Take(missed.Count - 1).ToList() : missed;
        if (skippedMissed.Count > 0)
        {
            var why = settings.MissedFirings == MissedFiringPolicy.Skip
                ? "the policy (CodyBatch:Schedules:MissedFirings) is Skip"
                : "the policy (CodyBatch:Schedules:MissedFirings) is RunOnce, so one job stands for them all";
            firings.Add(new ScheduleFiring(
                skippedMissed[^1], now, FiringOutcome.Missed, null,
                $"{Count(skippedMissed.Count, "firing")} from {skippedMissed[0]:u} to {skippedMissed[^1]:u} fell due while Cody Batch was not running; {why}."));
        }

        Job? job = null;
        if (fire)
        {
            var (started, outcome) = await PrepareAsync(schedule, latest, now, cancellationToken);
            job = started;
            firings.Add(outcome);
        }

        var changed = firings.Aggregate(schedule, (s, f) => s.Record(f)) with
        {
            CheckedThrough = now,
            UpdatedAt = now,
            LastJobId = job?.Id ?? schedule.LastJobId,
            CampaignId = schedule.CampaignId ?? (job is null ? null : job.CampaignId ?? job.Id),
        };
        if (await schedules.TryUpdateAsync(changed, cancellationToken) is null)
        {
            // Another process handled these firings (or the schedule was paused or deleted) first.
            return [];
        }

        if (job is not null)
        {
            try
            {
                await jobs.CreateAsync(job, cancellationToken);
                signal.Notify();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await RecordFailureAsync(schedule.Id, job.Id, $"The job could not be stored: {e.Message}", cancellationToken);
                await AuditAsync(schedule, new ScheduleFiring(latest, now, FiringOutcome.Failed, null, "The job could not be stored."), cancellationToken);
                throw;
            }
        }

        foreach (var firing in firings)
        {
            await AuditAsync(schedule, firing, cancellationToken);
        }

        return firings;
    }

    private async Task<(Job? Job, ScheduleFiring Firing)> PrepareAsync(Schedule schedule, DateTimeOffset scheduledFor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var previous = schedule.LastJobId is { } lastId ? await jobs.GetAsync(lastId, cancellationToken) : null;
        if (previous is { Status: JobStatus.Queued or JobStatus.Running })
        {
            return (null, new ScheduleFiring(scheduledFor, now, FiringOutcome.SkippedOverlap, null, $"Job {previous.Id} from the previous firing was still {previous.Status.ToString().ToLowerInvariant()}."));
        }

        var saved = schedule.SavedPromptId is { } promptId ? await prompts.GetAsync(promptId, cancellationToken) : null;
        if (schedule.SavedPromptId is not null && saved is null)
        {
            return (null, new ScheduleFiring(scheduledFor, now, FiringOutcome.Failed, null, $"The saved prompt {schedule.SavedPromptId} was deleted; delete this schedule and create one with another prompt."));
        }

        try
        {
            await (spend?.EnsureUnderCapsAsync(Access.Caller.Schedule(schedule.Name), cancellationToken) ?? Task.CompletedTask);
        }
        catch (Access.SpendCapReachedException e)
        {
            return (null, new ScheduleFiring(scheduledFor, now, FiringOutcome.Failed, null, e.Message));
        }

        // The schedule's own shell and network, else the saved prompt's (a refusal of the latter names the saved prompt),
        // else (null) the server's settings, checked against them as they are now.
        var refusals = new List<string>();
        var network = schedule.Network is { } own ? JobRequestValidator.NetworkText(own) : null;
        var (shell, effectiveNetwork) = saved is null ? (schedule.Shell, network) : validator.SavedPromptEnvironment(schedule.Shell, network, saved, (_, message) => refusals.Add(message));
        if (refusals.Count > 0)
        {
            return (null, new ScheduleFiring(scheduledFor, now, FiringOutcome.Failed, null, $"The job was refused: {string.Join(" ", refusals)}"));
        }

        var mode = schedule.Mode ?? saved?.Mode ?? JobMode.PullRequest;
        var validation = validator.Validate(new JobRequest
        {
            Prompt = saved?.Prompt ?? schedule.Prompt,
            Repositories = [.. schedule.Repositories],
            Mode = mode switch { JobMode.Patch => "patch", JobMode.Triage => "triage", _ => "pullRequest" },
            Model = schedule.Model ?? saved?.Model,
            Title = schedule.Name,
            BudgetUsd = schedule.BudgetUsd,
            Checks = schedule.Checks.Count > 0 ? [.. schedule.Checks] : saved is { Checks.Count: > 0 } ? [.. saved.Checks] : null,
            Shell = shell,
            Network = effectiveNetwork,
        });
        if (validation.Request is not { } valid)
        {
            var reasons = string.Join(" ", validation.Errors.SelectMany(e => e.Value));
            return (null, new ScheduleFiring(scheduledFor, now, FiringOutcome.Failed, null, $"The job was refused: {reasons}"));
        }

        // A firing is a job start like any other: it counts against the job rate limit of the schedule's author.
        if (admission.TryAdmit(Caller.FromStored(schedule.CreatedBy)) is { Admitted: false } refused)
        {
            return (null, new ScheduleFiring(
                scheduledFor, now, FiringOutcome.Failed, null,
                $"The job rate limit of the caller who created this schedule (CodyBatch:RateLimit) allows the next job in {Durations.Describe(refused.RetryAfter)}; the next firing tries again."));
        }

        // A re-run of the campaign's last job carries its pull requests, so the pipeline updates them.
        var job = previous is not null && schedule.CampaignId is not null
            ? JobLifecycle.Rerun(previous, now) with { Prompt = valid.Prompt, Title = valid.Title, Mode = valid.Mode, Model = valid.Model, Checks = valid.Checks, BudgetUsd = valid.BudgetUsd }
            : JobLifecycle.Create(valid.Prompt, valid.Title, valid.Mode, valid.Model, valid.Repositories, now) with { Checks = valid.Checks, BudgetUsd = valid.BudgetUsd };
        job = job with { Shell = valid.Shell, Network = valid.Network, Author = Access.Caller.Schedule(schedule.Name).Name, AuthorKeyId = null };
        return (job, new ScheduleFiring(scheduledFor, now, FiringOutcome.Started, job.Id));
    }

    private Task AuditAsync(Schedule schedule, ScheduleFiring firing, CancellationToken cancellationToken) =>
        audit?.RecordAsync(
            Access.Caller.Schedule(schedule.Name),
            "schedule.fired",
            $"schedule {schedule.Id}",
            firing.Outcome switch { FiringOutcome.Started => "succeeded", FiringOutcome.Failed => "failed", _ => "refused" },
            cancellationToken,
            detail: firing.JobId is { } jobId ? $"{firing.Outcome}: started job {jobId}." : $"{firing.Outcome}: {firing.Reason}") ?? Task.CompletedTask;

    private async Task RecordFailureAsync(string scheduleId, string jobId, string reason, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var current = await schedules.GetAsync(scheduleId, cancellationToken);
            if (current is null)
            {
                return;
            }

            var changed = current with
            {
                Firings = [.. current.Firings.Select(f => f.JobId == jobId ? f with { Outcome = FiringOutcome.Failed, JobId = null, Reason = reason } : f)],
                LastJobId = current.LastJobId == jobId ? null : current.LastJobId,
                CampaignId = current.CampaignId == jobId ? null : current.CampaignId,
            };
            if (await schedules.TryUpdateAsync(changed, cancellationToken) is not null)
            {
                return;
            }
        }
    }

    private static string Count(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";
}
