using System.Globalization;
using CodyBatch.Core.Publishing;
using CodyBatch.Core.Runs;

namespace CodyBatch.Storage.Sqlite.Jobs;

// How jobs and runs map to rows: reading them back, binding them to commands, and the column formats.
public sealed partial class SqliteJobStore
{
    private static async Task<List<Job>> ReadJobsAsync(
        SqliteConnection connection, string tail, Action<SqliteCommand> bind, CancellationToken cancellationToken, int? excerpt = null)
    {
        // A list reads excerpts: SQLite cuts the long texts, so they never reach managed memory whole.
        var prompt = excerpt is { } n ? Cut("prompt", n) : "prompt";
        var data = excerpt is { } m
            ? $"json_remove(CASE WHEN length(json_extract(data, '$.summary')) > {m + 1} THEN json_set(data, '$.summary', substr(json_extract(data, '$.summary'), 1, {m}) || '{Excerpt.Ellipsis}') ELSE data END, '$.submission')"
            : "data";
        // One snapshot for the job rows and their runs, so a write in between cannot tear them apart.
        await using var transaction = connection.BeginTransaction(deferred: true);

        var jobs = new List<Job>();
        await using (var command = Command(connection, transaction, $"""
            SELECT id, version, status, {prompt}, title, mode, model, created_at, started_at, finished_at, thinking_budget_tokens, checks, publish, campaign_id, author, author_key_id, shell, network, budget_usd FROM jobs {tail}
            """))
        {
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                jobs.Add(new Job
                {
                    Id = reader.GetString(0),
                    Version = reader.GetInt64(1),
                    Status = Enum.Parse<JobStatus>(reader.GetString(2), ignoreCase: true),
                    Prompt = reader.GetString(3),
                    Title = reader.IsDBNull(4) ? null : reader.GetString(4),
                    Mode = Enum.Parse<JobMode>(reader.GetString(5), ignoreCase: true),
                    Model = reader.GetString(6),
                    CreatedAt = ParseTime(reader.GetString(7)),
                    StartedAt = reader.IsDBNull(8) ? null : ParseTime(reader.GetString(8)),
                    FinishedAt = reader.IsDBNull(9) ? null : ParseTime(reader.GetString(9)),
                    ThinkingBudgetTokens = reader.IsDBNull(10) ? null : reader.GetInt32(10),
                    Checks = reader.IsDBNull(11) ? null : JsonSerializer.Deserialize<string[]>(reader.GetString(11), Json),
                    Publish = reader.IsDBNull(12) ? PublishSettings.Default : JsonSerializer.Deserialize<PublishSettings>(reader.GetString(12), Json)!,
                    CampaignId = reader.IsDBNull(13) ? null : reader.GetString(13),
                    Author = reader.IsDBNull(14) ? null : reader.GetString(14),
                    AuthorKeyId = reader.IsDBNull(15) ? null : reader.GetString(15),
                    Shell = reader.IsDBNull(16) ? null : reader.GetInt64(16) != 0,
                    Network = Enum.Parse<JobNetwork>(reader.GetString(17), ignoreCase: true),
                    BudgetUsd = reader.IsDBNull(18) ? null : decimal.Parse(reader.GetString(18), CultureInfo.InvariantCulture),
                    Runs = [],
                });
            }
        }

        if (jobs.Count == 0)
        {
            return jobs;
        }

        var runs = jobs.ToDictionary(j => j.Id, _ => new List<RepositoryRun>());
        await using (var command = Command(connection, transaction,
            $"SELECT job_id, {data} FROM runs WHERE job_id IN ({string.Join(", ", jobs.Select((_, i) => $"$j{i}"))}) ORDER BY job_id, position"))
        {
            for (var i = 0; i < jobs.Count; i++)
            {
                command.Parameters.AddWithValue($"$j{i}", jobs[i].Id);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                runs[reader.GetString(0)].Add(JsonSerializer.Deserialize<RepositoryRun>(reader.GetString(1), Json)!);
            }
        }

        return [.. jobs.Select(j => j with { Runs = runs[j.Id] })];
    }

    private static string Cut(string column, int length) =>
        $"CASE WHEN length({column}) > {length + 1} THEN substr({column}, 1, {length}) || '{Excerpt.Ellipsis}' ELSE {column} END";

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void BindJob(SqliteCommand command, Job job)
    {
        command.Parameters.AddWithValue("$id", job.Id);
        command.Parameters.AddWithValue("$status", Text(job.Status));
        command.Parameters.AddWithValue("$prompt", job.Prompt);
        command.Parameters.AddWithValue("$title", (object?)job.Title ?? DBNull.Value);
        command.Parameters.AddWithValue("$mode", Text(job.Mode));
        command.Parameters.AddWithValue("$model", job.Model);
        command.Parameters.AddWithValue("$thinking", (object?)job.ThinkingBudgetTokens ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", FormatTime(job.CreatedAt));
        command.Parameters.AddWithValue("$started", job.StartedAt is { } s ? FormatTime(s) : DBNull.Value);
        command.Parameters.AddWithValue("$finished", job.FinishedAt is { } f ? FormatTime(f) : DBNull.Value);
        command.Parameters.AddWithValue("$checks", job.Checks is { } checks ? JsonSerializer.Serialize(checks, Json) : DBNull.Value);
        command.Parameters.AddWithValue("$campaign", (object?)job.CampaignId ?? DBNull.Value);
        command.Parameters.AddWithValue("$author", (object?)job.Author ?? DBNull.Value);
        command.Parameters.AddWithValue("$authorKey", (object?)job.AuthorKeyId ?? DBNull.Value);
        command.Parameters.AddWithValue("$shell", job.Shell is { } shell ? (shell ? 1 : 0) : DBNull.Value);
        command.Parameters.AddWithValue("$network", Text(job.Network));

        // Text, so the dollars read back exactly as written (a REAL would round them).
        command.Parameters.AddWithValue("$budget", job.BudgetUsd is { } budget ? budget.ToString(CultureInfo.InvariantCulture) : DBNull.Value);
    }

    private static void BindRun(SqliteCommand command, string jobId, int position, RepositoryRun run)
    {
        command.Parameters.AddWithValue("$job", jobId);
        command.Parameters.AddWithValue("$position", position);
        command.Parameters.AddWithValue("$repository", run.Repository);
        command.Parameters.AddWithValue("$status", Text(run.Status));
        command.Parameters.AddWithValue("$lease", run.LeaseExpiresAt is { } lease ? lease.ToUnixTimeMilliseconds() : DBNull.Value);
        command.Parameters.AddWithValue("$data", JsonSerializer.Serialize(run, Json));
    }

    private static string Text<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static string FormatTime(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
