using CodyBatch.Core.PullRequests;
using CodyBatch.Core.Runs;

namespace CodyBatch.Aws.Jobs;

/// <summary>
/// Jobs in one DynamoDB table, one bounded item per job (layout and indexes: <see cref="JobItems"/>). Access patterns:
/// <list type="bullet">
/// <item>get a job with its runs: one consistent read of <c>pk = JOB#id, sk = JOB</c>, long texts from S3;</item>
/// <item>list newest first, or by status: one query per shard of a keys-only index (newest first, below the cursor),
/// merged by id, then one batch read of the page's items; with the query's excerpt length the texts are cut from the item's previews, without it whole (from S3);</item>
/// <item>search, and the failed filter (any failed run): the same queries with a filter on the projected <c>search</c> text, reading at most
/// <see cref="MaxSearchPages"/> pages per shard per request; a page with fewer matches carries a cursor to go on;</item>
/// <item>find claimable runs: the sparse open-jobs index, then the items;</item>
/// <item>follow open pull requests: the sparse index <c>gsi4</c> of jobs with an open pull request, one query per shard, then the items;</item>
/// <item>webhook deliveries already applied: items <c>pk = DELIVERY#id, sk = DELIVERY</c>, written only if absent, expiring after CodyBatch:PullRequests:DeliveryRetention (<c>expiresAt</c>, the table's time to live);</item>
/// <item>claim, renew, finish: a conditional put on <c>version</c>, so of two workers only one can own a run.</item>
/// </list>
/// </summary>
public sealed class DynamoDbJobStore(
    IAmazonDynamoDB client,
    string tableName,
    bool createTableIfMissing,
    IArtifactStore? texts = null,
    TimeProvider? time = null,
    int maxItemBytes = JobItems.DefaultMaxItemBytes,
    TimeSpan? deliveryRetention = null) : IJobStore, IDeliveryLog
{
    /// <summary>Most index pages one search request reads per shard before it answers with what it found.</summary>
    public const int MaxSearchPages = 4;

    private readonly TextOffload _texts = new(texts);
    private readonly JobIndexQueries _indexes = new(client, tableName);

    /// <summary>The table this store keeps its items in (the other stores of a deployment share it).</summary>
    public string TableName => tableName;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.DescribeTableAsync(tableName, cancellationToken);
        }
        catch (ResourceNotFoundException) when (createTableIfMissing)
        {
            await client.CreateTableAsync(JobTable.Definition(tableName), cancellationToken);
            await JobTable.WaitActiveAsync(client, tableName, cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            throw new InvalidOperationException($"The DynamoDB table {tableName} does not exist; deploy it (infra/) or set CodyBatch:Aws:CreateTableIfMissing.");
        }
    }

    /// <summary>The table and its indexes, as the CDK app creates them.</summary>
    public static CreateTableRequest TableDefinition(string tableName) => JobTable.Definition(tableName);

    /// <inheritdoc />
    public async Task CreateAsync(Job job, CancellationToken cancellationToken)
    {
        try
        {
            await PutAsync(job, job.Version, "attribute_not_exists(pk)", null, cancellationToken);
        }
        catch (ConditionalCheckFailedException e)
        {
            throw new InvalidOperationException($"A job with id {job.Id} exists already.", e);
        }
    }

    /// <inheritdoc />
    public async Task<Job?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        var response = await client.GetItemAsync(
            new GetItemRequest { TableName = tableName, Key = JobItems.Key(jobId), ConsistentRead = true }, cancellationToken);
        if (response.Item is not { Count: > 0 } item)
        {
            return null;
        }

        var (bounded, keys) = JobItems.FromItem(item);
        return await _texts.RestoreAsync(bounded, keys, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Job?> TryUpdateAsync(Job job, CancellationToken cancellationToken)
    {
        var stored = job with { Version = job.Version + 1 };
        try
        {
            await PutAsync(
                stored,
                stored.Version,
                "version = :expected",
                new() { [":expected"] = new AttributeValue { N = job.Version.ToString(CultureInfo.InvariantCulture) } },
                cancellationToken);
            return stored;
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<JobPage> ListAsync(JobQuery query, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(query.Limit, 1, 100);
        var text = string.IsNullOrWhiteSpace(query.Text) ? null : query.Text.Trim().ToLowerInvariant();
        var shards = await Task.WhenAll(Enumerable.Range(0, JobItems.Shards).Select(shard => _indexes.QueryShardAsync(query, shard, text, limit, cancellationToken)));

        // Each shard answered its newest matches below the cursor; the newest of all of them are the page. A search that
        // stopped reading a shard early is complete only down to where that shard stopped (the floor); the next page starts there.
        var floor = shards.Select(s => s.StoppedAt).Where(s => s is not null).Max(StringComparer.Ordinal);
        var ids = shards.SelectMany(s => s.Ids)
            .Where(id => floor is null || string.CompareOrdinal(id, floor) >= 0)
            .OrderDescending(StringComparer.Ordinal)
            .ToList();
        var page = ids.Take(limit).ToList();
        var jobs = await ReadListedAsync(page, query.ExcerptLength, cancellationToken);
        var cursor = ids.Count > limit ? page[^1] : floor;
        return new JobPage(jobs, cursor);
    }

    // As every store: with an excerpt length, the prompt and summaries cut to it and no agent submission (the item's
    // previews are long enough for any excerpt shorter than they are); without one, whole jobs, long texts from S3.
    private async Task<List<Job>> ReadListedAsync(IReadOnlyList<string> ids, int? excerptLength, CancellationToken cancellationToken)
    {
        var items = await _indexes.BatchGetItemsAsync(ids, cancellationToken);
        var jobs = new List<Job>(items.Count);
        foreach (var (bounded, texts, _) in items)
        {
            var length = excerptLength is { } n ? Math.Max(n, 1) : (int?)null;
            var job = length < JobItems.PreviewChars ? bounded : await _texts.RestoreAsync(bounded, texts, cancellationToken);
            jobs.Add(length is { } cut
                ? job with
                {
                    Prompt = Excerpt.Of(job.Prompt, cut)!,
                    Runs = [.. job.Runs.Select(r => r with { Summary = Excerpt.Of(r.Summary, cut), Submission = null })],
                }
                : job);
        }

        return jobs;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RunRef>> FindClaimableAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var open = await OpenJobsAsync(cancellationToken);

        // The same fair order as every store: jobs with fewer runs in flight first, then older jobs, then request order.
        return
        [
            .. open
                .SelectMany(job => job.Runs.Select((run, position) => (Job: job, Run: run, Position: position)))
                .Where(x => x.Run.IsClaimable(now))
                .OrderBy(x => x.Job.Runs.Count(r => r.Status.IsActive() && r.LeaseExpiresAt > now))
                .ThenBy(x => x.Job.Id, StringComparer.Ordinal)
                .ThenBy(x => x.Position)
                .Take(limit)
                .Select(x => new RunRef(x.Job.Id, x.Run.Repository)),
        ];
    }

    /// <summary>Every job with an unfinished run, with when its item was last written (for the reconciler).</summary>
    public async Task<IReadOnlyList<(Job Job, DateTimeOffset TouchedAt)>> OpenJobsWithTouchAsync(CancellationToken cancellationToken)
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, JobItems.Shards).Select(shard => _indexes.OpenIdsAsync(shard, cancellationToken)));
        return await _indexes.BatchGetWithTouchAsync([.. ids.SelectMany(i => i)], cancellationToken);
    }

    private async Task<IReadOnlyList<Job>> OpenJobsAsync(CancellationToken cancellationToken) =>
        [.. (await OpenJobsWithTouchAsync(cancellationToken)).Select(j => j.Job)];

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, long>> GetVersionsAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken) =>
        _indexes.VersionsAsync(jobIds, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<Job>> ListWithOpenPullRequestsAsync(CancellationToken cancellationToken)
    {
        // Every shard, and the one partition items written before the sharding still sit in.
        var partitions = Enumerable.Range(0, JobItems.Shards).Select(JobItems.PullsPartition).Append(JobItems.LegacyOpenPulls);
        var ids = await Task.WhenAll(partitions.Select(partition => _indexes.OpenPullIdsAsync(partition, cancellationToken)));
        return [.. (await _indexes.BatchGetAsync([.. ids.SelectMany(i => i).Distinct(StringComparer.Ordinal)], cancellationToken)).OrderBy(j => j.Id, StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async Task<bool> TryRecordDeliveryAsync(string deliveryId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        try
        {
            await client.PutItemAsync(
                new PutItemRequest
                {
                    TableName = tableName,
                    Item = new()
                    {
                        ["pk"] = new() { S = $"DELIVERY#{deliveryId}" },
                        ["sk"] = new() { S = "DELIVERY" },
                        ["receivedAt"] = new() { S = receivedAt.ToString("O", CultureInfo.InvariantCulture) },
                        ["expiresAt"] = new() { N = (receivedAt + (deliveryRetention ?? TimeSpan.FromDays(30))).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) },
                    },
                    ConditionExpression = "attribute_not_exists(pk)",
                },
                cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    /// <remarks>Delivery items carry <c>expiresAt</c> (received + the retention); the table's time to live removes them.</remarks>
    public Task<int> PruneDeliveriesAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken) => Task.FromResult(0);

    /// <inheritdoc />
    public Task ForgetDeliveryAsync(string deliveryId, CancellationToken cancellationToken) =>
        client.DeleteItemAsync(
            new DeleteItemRequest
            {
                TableName = tableName,
                Key = new() { ["pk"] = new() { S = $"DELIVERY#{deliveryId}" }, ["sk"] = new() { S = "DELIVERY" } },
            },
            cancellationToken);

    private async Task PutAsync(Job job, long version, string condition, Dictionary<string, AttributeValue>? values, CancellationToken cancellationToken)
    {
        var (bounded, keys) = await _texts.BoundAsync(job, cancellationToken);
        var item = JobItems.ToItem(bounded, keys, version, _time.GetUtcNow());
        var size = JobItems.SizeOf(item);
        if (size > maxItemBytes)
        {
            throw TooLarge(job, size, null);
        }

        try
        {
            await client.PutItemAsync(
                new PutItemRequest { TableName = tableName, Item = item, ConditionExpression = condition, ExpressionAttributeValues = values },
                cancellationToken);
        }
        catch (AmazonDynamoDBException e) when (e is not ConditionalCheckFailedException && e.Message.Contains("size", StringComparison.OrdinalIgnoreCase))
        {
            // DynamoDB's own refusal ("Item size has exceeded the maximum allowed size"): nothing was written.
            throw TooLarge(job, size, e);
        }
    }

    private static JobTooLargeException TooLarge(Job job, int size, Exception? inner)
    {
        var message = $"The record of job {job.Id} would be {size / 1024:N0} KB, past DynamoDB's 400 KB item limit, so this change was not stored; "
            + "the run's patch and thread are kept, shorten what the run reported (its summary or messages) and retry it.";
        return inner is null ? new JobTooLargeException(message) : new JobTooLargeException(message, inner);
    }
}
