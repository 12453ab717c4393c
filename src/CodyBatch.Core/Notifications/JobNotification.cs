using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.Runs;
using CodyBatch.Core.Schedules;

namespace CodyBatch.Core.Notifications;

/// <summary>What is sent when a job ends: the signed webhook body and the Slack message.</summary>
public static class JobNotification
{
    /// <summary>The event of every job's end.</summary>
    public const string JobEnded = "job.ended";

    /// <summary>The event of a scheduled job's end when some repository needed changes.</summary>
    public const string ScheduleNewWork = "schedule.new_work";

    /// <summary>The event for <paramref name="job"/>.</summary>
    public static string EventOf(Job job, Schedule? schedule) =>
        schedule is not null && job.Runs.Any(r => r.WereChangesNecessary == true) ? ScheduleNewWork : JobEnded;

    /// <summary>The webhook's JSON body (camelCase; see the README for every field).</summary>
    public static byte[] Body(string deliveryId, Job job, Schedule? schedule, Uri? publicUrl, DateTimeOffset now)
    {
        var body = new JsonObject
        {
            ["id"] = deliveryId,
            ["event"] = EventOf(job, schedule),
            ["createdAt"] = now,
            ["job"] = new JsonObject
            {
                ["id"] = job.Id,
                ["title"] = job.Title,
                ["status"] = Lower(job.Status),
                ["campaignId"] = job.CampaignId ?? job.Id,
                ["createdAt"] = job.CreatedAt,
                ["finishedAt"] = job.FinishedAt,
                ["url"] = Link(job, publicUrl),
            },
            ["outcomes"] = Outcomes(job),
            ["costUsd"] = job.Usage.CostUsd,
            ["schedule"] = schedule is null ? null : new JsonObject { ["id"] = schedule.Id, ["name"] = schedule.Name },
            ["repositories"] = new JsonArray([.. job.Runs.Select(r => (JsonNode)new JsonObject
            {
                ["repository"] = r.Repository,
                ["status"] = Lower(r.Status),
                ["wereChangesNecessary"] = r.WereChangesNecessary,
                ["pullRequestUrl"] = r.PullRequestUrl,
                ["error"] = r.Error,
            })]),
        };
        return JsonSerializer.SerializeToUtf8Bytes(body);
    }

    /// <summary>A Slack incoming-webhook message: one line of outcome counts, the cost and a link.</summary>
    public static byte[] SlackMessage(Job job, Schedule? schedule, Uri? publicUrl)
    {
        var name = job.Title ?? job.Prompt.Split('\n')[0];
        if (name.Length > 80)
        {
            name = name[..80] + "…";
        }

        var counts = Outcomes(job);
        var what = schedule is not null && EventOf(job, schedule) == ScheduleNewWork ? $"Schedule '{Escape(schedule.Name)}' found new work: job" : "Cody Batch job";
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"{what} *{Escape(name)}* {Lower(job.Status)}: {counts["succeeded"]} succeeded ({counts["changed"]} with changes), {counts["failed"]} failed, {counts["cancelled"]} cancelled · ${job.Usage.CostUsd:0.00}");
        var link = Link(job, publicUrl);
        text += link.StartsWith("http", StringComparison.Ordinal) ? $" · <{link}|Open the job>" : $" · job {job.Id}";
        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["text"] = text });
    }

    private static JsonObject Outcomes(Job job) => new()
    {
        ["succeeded"] = job.Runs.Count(r => r.Status == RunStatus.Succeeded),
        ["failed"] = job.Runs.Count(r => r.Status == RunStatus.Failed),
        ["cancelled"] = job.Runs.Count(r => r.Status == RunStatus.Cancelled),
        ["changed"] = job.Runs.Count(r => r.WereChangesNecessary == true),
        ["unchanged"] = job.Runs.Count(r => r.WereChangesNecessary == false),
    };

    private static string Link(Job job, Uri? publicUrl) =>
        publicUrl is null ? $"/jobs/{job.Id}" : $"{publicUrl.AbsoluteUri.TrimEnd('/')}/jobs/{job.Id}";

    // Slack's mrkdwn treats &, < and > as control characters.
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}
