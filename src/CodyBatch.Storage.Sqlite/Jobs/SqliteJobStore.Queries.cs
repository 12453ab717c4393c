namespace CodyBatch.Storage.Sqlite.Jobs;

// The job store's reads across jobs: list pages with search, claimable runs in fair order, open pull requests.
public sealed partial class SqliteJobStore
{
    /// <inheritdoc />
    public async Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(query.Limit, 1, 100);
        var text = string.IsNullOrWhiteSpace(query.Text) ? null : query.Text.Trim();

        // Three characters or more: the trigram index, read newest first (its keys sort as ids do) until a page matched,
        // with the other filters on the jobs it finds. Shorter text is below a trigram: a scan, as before the index.
        var indexed = text is not null && text.EnumerateRunes().Count() >= 3;
        var j = indexed ? "j." : "";
        var conditions = new List<string>();
        var binds = new List<Action<SqliteCommand>>();
        if (query.Status is JobStatus.Failed)
        {
            // A job with any failed run belongs under "failed", also when others succeeded.
            conditions.Add($"({j}status = 'failed' OR {j}id IN (SELECT job_id FROM runs WHERE status = 'failed'))");
        }
        else if (query.Status is { } status)
        {
            conditions.Add($"{j}status = $status");
            binds.Add(c => c.Parameters.AddWithValue("$status", Text(status)));
        }

        if (!string.IsNullOrWhiteSpace(query.Author))
        {
            conditions.Add($"{j}author = $author COLLATE NOCASE");
            binds.Add(c => c.Parameters.AddWithValue("$author", query.Author.Trim()));
        }

        if (indexed)
        {
            conditions.Insert(0, "job_search MATCH $match");
            binds.Add(c => c.Parameters.AddWithValue("$match", $"\"{text!.Replace("\"", "\"\"", StringComparison.Ordinal)}\""));
            if (query.Cursor is { } after)
            {
                conditions.Add("s.rowid < coalesce((SELECT key FROM job_search_keys WHERE job_id = $cursor), $key)");
                binds.Add(c => c.Parameters.AddWithValue("$cursor", after));
                binds.Add(c => c.Parameters.AddWithValue("$key", SearchKey.Of(after)));
            }

            conditions = [$"""
                id IN (SELECT k.job_id FROM job_search s CROSS JOIN job_search_keys k CROSS JOIN jobs j
                       WHERE k.key = s.rowid AND j.id = k.job_id AND {string.Join(" AND ", conditions)}
                       ORDER BY s.rowid DESC LIMIT {limit + 1})
                """];
        }
        else
        {
            if (text is not null)
            {
                conditions.Add("(prompt LIKE $text ESCAPE '\\' OR title LIKE $text ESCAPE '\\' OR id IN (SELECT job_id FROM runs WHERE repository LIKE $text ESCAPE '\\'))");
                var escaped = text.Replace("\\", "\\\\", StringComparison.Ordinal)
                    .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
                binds.Add(c => c.Parameters.AddWithValue("$text", $"%{escaped}%"));
            }

            if (query.Cursor is { } cursor)
            {
                conditions.Add("id < $cursor");
                binds.Add(c => c.Parameters.AddWithValue("$cursor", cursor));
            }
        }

        // A search pages by index key (the id's order, but for jobs of one millisecond whose keys met: insertion order).
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        var order = indexed ? "(SELECT key FROM job_search_keys WHERE job_id = id) DESC" : "id DESC";
        await using var connection = await OpenAsync(cancellationToken);
        var jobs = await ReadJobsAsync(
            connection,
            $"{where} ORDER BY {order} LIMIT {limit + 1}",
            cmd => binds.ForEach(bind => bind(cmd)),
            cancellationToken,
            query.ExcerptLength is { } excerpt ? Math.Max(excerpt, 1) : null);
        return jobs.Count > limit
            ? new JobPage(jobs.Take(limit).ToArray(), jobs[limit - 1].Id)
            : new JobPage(jobs, null);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RunRef>> FindClaimableAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, $"""
            SELECT r.job_id, r.repository FROM runs r
            WHERE r.status = 'queued'
               OR (r.status IN ({Active}) AND (r.lease_expires_at IS NULL OR r.lease_expires_at <= $now))
            ORDER BY (SELECT COUNT(*) FROM runs a
                      WHERE a.job_id = r.job_id AND a.status IN ({Active}) AND a.lease_expires_at > $now),
                     r.job_id, r.position
            LIMIT $limit
            """);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$limit", limit);
        var result = new List<RunRef>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new RunRef(reader.GetString(0), reader.GetString(1)));
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, long>> GetVersionsAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        if (jobIds.Count == 0)
        {
            return versions;
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT id, version FROM jobs WHERE id IN (SELECT value FROM json_each($ids))";
        select.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(jobIds));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions[reader.GetString(0)] = reader.GetInt64(1);
        }

        return versions;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Job>> ListWithOpenPullRequestsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadJobsAsync(
            connection,
            "WHERE id IN (SELECT job_id FROM runs WHERE json_extract(data, '$.pullRequest.state') = 'open') ORDER BY id",
            _ => { },
            cancellationToken);
    }
}
