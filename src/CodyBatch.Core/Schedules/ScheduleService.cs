using CodyBatch.Core.Jobs;
using CodyBatch.Core.Admission;
using CodyBatch.Core.Prompts;
using CodyBatch.Core.Runs;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Schedules;

/// <summary>What the API and the CLI do with schedules: create, list, pause, resume, delete.</summary>
public sealed class ScheduleService(
    IScheduleStore store, ISavedPromptStore prompts, JobRequestValidator validator, IOptions<ScheduleOptions> options, TimeProvider time)
{
    /// <summary>Every schedule, oldest first.</summary>
    public Task<IReadOnlyList<Schedule>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <summary>The schedule, or null.</summary>
    public Task<Schedule?> GetAsync(string id, CancellationToken cancellationToken) =>
        IsId(id) ? store.GetAsync(id, cancellationToken) : Task.FromResult<Schedule?>(null);

    /// <summary>Validates and stores a new schedule made on this machine (the command line); see the overload with an author.</summary>
    public Task<ScheduleResult> CreateAsync(ScheduleRequest request, CancellationToken cancellationToken) =>
        CreateAsync(request, Caller.Local, cancellationToken);

    /// <summary>
    /// Validates and stores a new schedule; its first firing is the first occurrence after now, and
    /// its firings count against <paramref name="author"/>'s job rate limit.
    /// </summary>
    public async Task<ScheduleResult> CreateAsync(ScheduleRequest request, Caller author, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(author);
        var settings = options.Value;
        var now = time.GetUtcNow();
        var errors = new FieldErrors();
        if ((await store.ListAsync(cancellationToken)).Count >= settings.MaxSchedules)
        {
            errors.Add(
                "schedules",
                $"This server keeps at most {settings.MaxSchedules} schedules (CodyBatch:Schedules:MaxSchedules); delete one that is no longer needed, or ask the operator to raise the setting.");
        }

        var basis = new Schedule
        {
            Id = "schedule-" + JobId.New(now),
            Name = "",
            Repositories = [],
            Cron = "",
            TimeZone = "UTC",
            Enabled = request.Enabled ?? true,
            CheckedThrough = now,
            CreatedBy = author.Id,
            CreatedAt = now,
            UpdatedAt = now,
            Author = Access.CallerContext.Current.Name,
        };
        var schedule = await ValidateAsync(request, basis, errors, now, cancellationToken);
        if (schedule is null)
        {
            return new ScheduleResult(null, errors.ToDictionary());
        }

        await store.CreateAsync(schedule, cancellationToken);
        return new ScheduleResult(schedule, errors.ToDictionary());
    }

    /// <summary>
    /// Replaces every field of a schedule's specification (and its cron and time zone) with the request's, as
    /// <see cref="CreateAsync(ScheduleRequest, Caller, CancellationToken)"/> checks them; its firings, campaign and
    /// author stay. A changed cron or time zone, or resuming, counts from now. Once it has fired its repositories stay (its
    /// campaign's). NotFound when there is none. With <paramref name="revision"/> (the <see cref="Schedule.Revision"/> the
    /// editor read) the edit is refused as stale when another edit landed since.
    /// </summary>
    public async Task<ScheduleResult> UpdateAsync(string id, ScheduleRequest request, CancellationToken cancellationToken, long? revision = null)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var current = await GetAsync(id, cancellationToken);
            if (current is null)
            {
                return new ScheduleResult(null, new Dictionary<string, string[]>(), NotFound: true);
            }

            if (revision is { } read && read != current.Revision)
            {
                return new ScheduleResult(null, new Dictionary<string, string[]>(), Stale: current);
            }

            var now = time.GetUtcNow();
            var errors = new FieldErrors();
            var changed = await ValidateAsync(request, current with { UpdatedAt = now, Enabled = request.Enabled ?? current.Enabled, Revision = current.Revision + 1 }, errors, now, cancellationToken);
            if (changed is not null && current.CampaignId is not null && !changed.Repositories.SequenceEqual(current.Repositories, StringComparer.OrdinalIgnoreCase))
            {
                // Every firing after the first re-runs the campaign, whose repositories are those of its first job.
                errors.Add(
                    "repositories",
                    $"This schedule has fired: its campaign {current.CampaignId} runs over {string.Join(", ", current.Repositories)}, and its later firings re-run that campaign. Keep these repositories, or create a new schedule for others.");
                changed = null;
            }

            if (changed is null)
            {
                return new ScheduleResult(null, errors.ToDictionary());
            }

            var recount = changed.Cron != current.Cron || changed.TimeZone != current.TimeZone || (changed.Enabled && !current.Enabled);
            if (await store.TryUpdateAsync(recount ? changed with { CheckedThrough = now } : changed, cancellationToken) is { } stored)
            {
                return new ScheduleResult(stored, errors.ToDictionary());
            }
        }

        throw new InvalidOperationException($"The schedule {id} kept changing under this writer; try again.");
    }

    // The request's fields on basis, or null with the messages in errors.
    private async Task<Schedule?> ValidateAsync(ScheduleRequest request, Schedule basis, FieldErrors errors, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var name = errors.Required("name", request.Name, SavedPromptService.MaxNameLength, "Give the schedule a name.");
        var cron = ScheduleCalendar.ParseCron(request.Cron, out var cronError);
        if (cronError is not null)
        {
            errors.Add("cron", cronError);
        }

        var timeZone = string.IsNullOrWhiteSpace(request.TimeZone) ? "UTC" : request.TimeZone.Trim();
        var zone = ScheduleCalendar.FindTimeZone(timeZone, out var zoneError);
        if (zoneError is not null)
        {
            errors.Add("timeZone", zoneError);
        }

        if (cron is not null && zone is not null && ScheduleCalendar.ShortestInterval(cron, zone, now) is { } shortest && shortest < settings.MinimumInterval)
        {
            errors.Add(
                "cron",
                $"'{request.Cron!.Trim()}' fires as often as every {Durations.Describe(shortest)}, but a schedule may fire at most once every {Durations.Describe(settings.MinimumInterval)} "
                + "(CodyBatch:Schedules:MinimumInterval). Write five fields (minute hour day-of-month month day-of-week) that fire less often, like '*/5 * * * *' for every five minutes.");
        }

        var prompt = request.Prompt?.Trim();
        var savedPromptId = request.SavedPromptId?.Trim();
        SavedPrompt? saved = null;
        if (string.IsNullOrEmpty(prompt) == string.IsNullOrEmpty(savedPromptId))
        {
            errors.Add("prompt", "Give either a prompt or the id of a saved prompt (savedPromptId), not both.");
        }
        else if (!string.IsNullOrEmpty(savedPromptId))
        {
            saved = SavedPromptService.IsId(savedPromptId) ? await prompts.GetAsync(savedPromptId, cancellationToken) : null;
            if (saved is null)
            {
                errors.Add("savedPromptId", $"There is no saved prompt {savedPromptId}; list them with GET /api/prompts.");
            }
        }

        JobMode? mode = string.IsNullOrWhiteSpace(request.Mode) ? null : errors.Mode(request.Mode);
        var model = errors.Model(request.Model);
        var checks = errors.Checks(request.Checks);

        // The saved prompt's shell and network where the schedule leaves them out: what every firing's job would take.
        if (saved is not null)
        {
            validator.SavedPromptEnvironment(request.Shell, request.Network, saved, errors.Add);
        }

        // The same rules as a job's (count, names, allowed patterns, shell and network), so every firing can start one.
        var check = validator.Validate(new JobRequest
        {
            Prompt = prompt ?? saved?.Prompt ?? "-", Repositories = request.Repositories, Model = model, BudgetUsd = request.BudgetUsd, Shell = request.Shell, Network = request.Network,
        });
        foreach (var (field, messages) in check.Errors.Where(e => e.Key.StartsWith("repositories", StringComparison.Ordinal) || e.Key is "budgetUsd" or "shell" or "network"))
        {
            foreach (var message in messages)
            {
                errors.Add(field, message);
            }
        }

        if (errors.Any || check.Request is not { } valid)
        {
            return null;
        }

        return basis with
        {
            Name = name!,
            Prompt = saved is null ? prompt : null,
            SavedPromptId = saved?.Id,
            Repositories = [.. valid.Repositories.Select(r => r.Name)],
            Mode = mode,
            Checks = checks,
            Model = model,
            BudgetUsd = request.BudgetUsd,
            Shell = request.Shell,
            Network = request.Network is { } network && JobRequestValidator.TryParseNetwork(network, out var parsed) ? parsed : null,
            Cron = request.Cron!.Trim(),
            TimeZone = timeZone,
        };
    }

    /// <summary>
    /// Pauses or resumes. Resuming counts from now: firings that fell due while it was paused are
    /// not started. Null when the schedule does not exist.
    /// </summary>
    public async Task<Schedule?> SetEnabledAsync(string id, bool enabled, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var current = await GetAsync(id, cancellationToken);
            if (current is null || current.Enabled == enabled)
            {
                return current;
            }

            var now = time.GetUtcNow();
            // Pausing or resuming is an edit of `enabled`: an edit made on a read from before it is stale.
            var changed = current with { Enabled = enabled, UpdatedAt = now, CheckedThrough = enabled ? now : current.CheckedThrough, Revision = current.Revision + 1 };
            if (await store.TryUpdateAsync(changed, cancellationToken) is { } stored)
            {
                return stored;
            }
        }

        throw new InvalidOperationException($"The schedule {id} kept changing under this writer; try again.");
    }

    /// <summary>Deletes a schedule; its jobs and pull requests stay. False when there was none.</summary>
    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        IsId(id) ? store.DeleteAsync(id, cancellationToken) : Task.FromResult(false);

    /// <summary>True when <paramref name="id"/> has the shape of a schedule's id.</summary>
    public static bool IsId(string? id) => id is not null && id.StartsWith("schedule-", StringComparison.Ordinal) && JobId.IsValid(id["schedule-".Length..]);
}
