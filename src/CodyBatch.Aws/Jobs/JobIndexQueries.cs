namespace CodyBatch.Aws.Jobs;

/// <summary>
/// The read side of <see cref="DynamoDbJobStore"/>: queries of the job table's keys-only indexes (the list and status
/// indexes per shard, the sparse open-jobs and open-pull-request indexes) and the batch reads of the items they name.
/// </summary>
internal sealed class JobIndexQueries(IAmazonDynamoDB client, string tableName)
{
    /// <summary>The ids of the jobs with an unfinished run in one shard (the sparse index <c>gsi3</c>).</summary>
    public Task<List<string>> OpenIdsAsync(int shard, CancellationToken cancellationToken) =>
        KeysAsync("gsi3", "gsi3sk", "openShard = :open", null, JobItems.OpenPartition(shard), cancellationToken);

    /// <summary>The ids of the jobs with an open pull request in one partition (the sparse index <c>gsi4</c>).</summary>
    public Task<List<string>> OpenPullIdsAsync(string partition, CancellationToken cancellationToken) =>
        KeysAsync("gsi4", "gsi4sk", "#pulls = :open", new() { ["#pulls"] = "pulls" }, partition, cancellationToken);

    // Every page of one partition of a sparse index: the job ids its sort key holds.
    private async Task<List<string>> KeysAsync(
        string index, string sortKey, string condition, Dictionary<string, string>? names, string partition, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await client.QueryAsync(
                new QueryRequest
                {
                    TableName = tableName,
                    IndexName = index,
                    KeyConditionExpression = condition,
                    ExpressionAttributeNames = names,
                    ExpressionAttributeValues = new() { [":open"] = new() { S = partition } },
                    ExclusiveStartKey = start,
                },
                cancellationToken);
            ids.AddRange((response.Items ?? []).Select(i => i[sortKey].S));
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);
        return ids;
    }

    /// <summary>One shard's newest ids matching the query below its cursor; with a filter, at most <see cref="DynamoDbJobStore.MaxSearchPages"/> pages, saying where it stopped.</summary>
    public async Task<(List<string> Ids, string? StoppedAt)> QueryShardAsync(JobQuery query, int shard, string? text, int limit, CancellationToken cancellationToken)
    {
        // "failed" means any failed run, whatever the job's status: the whole list, filtered on the failed marker.
        var failedOnly = query.Status is JobStatus.Failed;
        var (index, partitionKey, sortKey, partition) = query.Status is { } status && !failedOnly
            ? ("gsi2", "gsi2pk", "gsi2sk", JobItems.StatusPartition(status, shard))
            : ("gsi1", "gsi1pk", "gsi1sk", JobItems.ListPartition(shard));
        var values = new Dictionary<string, AttributeValue> { [":p"] = new() { S = partition } };
        var condition = $"{partitionKey} = :p";
        if (query.Cursor is { } cursor)
        {
            condition += $" AND {sortKey} < :cursor";
            values[":cursor"] = new() { S = cursor };
        }

        var filters = new List<string>();
        if (text is not null)
        {
            values[":text"] = new() { S = text };
            filters.Add("contains(#search, :text)");
        }

        if (failedOnly)
        {
            values[":failed"] = new() { S = JobItems.FailedMarker };
            filters.Add("contains(#search, :failed)");
        }

        if (!string.IsNullOrWhiteSpace(query.Author))
        {
            values[":author"] = new() { S = JobItems.AuthorMarker(query.Author) };
            filters.Add("contains(#search, :author)");
        }

        var filtered = filters.Count > 0;

        var ids = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        for (var pages = 0; ; pages++)
        {
            if (filtered && pages >= DynamoDbJobStore.MaxSearchPages)
            {
                // Bounded work per request: answer with what was found, and say how far this shard was read.
                return (ids, start![sortKey].S);
            }

            var response = await client.QueryAsync(
                new QueryRequest
                {
                    TableName = tableName,
                    IndexName = index,
                    KeyConditionExpression = condition,
                    FilterExpression = filtered ? string.Join(" AND ", filters) : null,
                    ExpressionAttributeNames = filtered ? new() { ["#search"] = "search" } : null,
                    ExpressionAttributeValues = values,
                    ScanIndexForward = false,
                    Limit = filtered ? 200 : limit + 1,
                    ExclusiveStartKey = start,
                },
                cancellationToken);
            ids.AddRange((response.Items ?? []).Select(i => i[sortKey].S));
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
            if (ids.Count > limit || start is null)
            {
                return (ids, null);
            }
        }
    }

    public async Task<List<Job>> BatchGetAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        [.. (await BatchGetWithTouchAsync(ids, cancellationToken)).Select(j => j.Job)];

    public async Task<List<(Job Job, DateTimeOffset TouchedAt)>> BatchGetWithTouchAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        [.. (await BatchGetItemsAsync(ids, cancellationToken)).Select(i => (i.Bounded, i.TouchedAt))];

    /// <summary>The version of each of these jobs that exists: batch reads of the <c>id</c> and <c>version</c> attributes only.</summary>
    public async Task<IReadOnlyDictionary<string, long>> VersionsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        (await BatchReadAsync([.. ids], ["id", "version"], cancellationToken))
            .ToDictionary(item => item["id"].S, item => long.Parse(item["version"].N, CultureInfo.InvariantCulture), StringComparer.Ordinal);

    /// <summary>The items of these ids (consistent reads, 100 at a time, unprocessed keys read again), in the ids' order; missing ones left out.</summary>
    public async Task<List<(Job Bounded, IReadOnlyDictionary<string, string> Texts, DateTimeOffset TouchedAt)>> BatchGetItemsAsync(
        IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (Job, IReadOnlyDictionary<string, string>, DateTimeOffset)>(StringComparer.Ordinal);
        foreach (var item in await BatchReadAsync(ids, null, cancellationToken))
        {
            var (job, texts) = JobItems.FromItem(item);
            var touched = item.TryGetValue("touchedAt", out var t) ? DateTimeOffset.Parse(t.S, CultureInfo.InvariantCulture) : job.CreatedAt;
            found[job.Id] = (job, texts, touched);
        }

        return [.. ids.Where(found.ContainsKey).Select(id => found[id])];
    }

    // The job items of these ids (consistent reads, 100 at a time, unprocessed keys read again), in no order; only
    // the attributes named when some are.
    private async Task<List<Dictionary<string, AttributeValue>>> BatchReadAsync(IReadOnlyList<string> ids, string[]? attributes, CancellationToken cancellationToken)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(100))
        {
            var keys = chunk.Select(JobItems.Key).ToList();
            for (var attempt = 0; keys.Count > 0; attempt++)
            {
                var read = new KeysAndAttributes { Keys = keys, ConsistentRead = true };
                if (attributes is not null)
                {
                    read.ProjectionExpression = string.Join(", ", attributes.Select((_, i) => $"#a{i}"));
                    read.ExpressionAttributeNames = attributes.Select((name, i) => (name, i)).ToDictionary(a => $"#a{a.i}", a => a.name);
                }

                var response = await client.BatchGetItemAsync(new BatchGetItemRequest { RequestItems = new() { [tableName] = read } }, cancellationToken);
                items.AddRange(response.Responses?.GetValueOrDefault(tableName) ?? []);
                keys = response.UnprocessedKeys?.GetValueOrDefault(tableName)?.Keys ?? [];
                if (keys.Count > 0)
                {
                    // Throttled: back off as DynamoDB asks for unprocessed keys.
                    await Task.Delay(TimeSpan.FromMilliseconds(50 * Math.Pow(2, Math.Min(attempt, 6))), cancellationToken);
                }
            }
        }

        return items;
    }
}
