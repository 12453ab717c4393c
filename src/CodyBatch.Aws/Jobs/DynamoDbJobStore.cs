using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using CodyBatch.Core.Jobs;
using CodyBatch.Core.PullRequests;
using CodyBatch.Core.Runs;

namespace CodyBatch.Aws.Jobs;

/// <summary>
/// Jobs in one DynamoDB table. Access patterns:
/// <list type="bullet">
/// <item>get a job with its runs: one item, <c>pk = JOB#id, sk = JOB</c>, runs inside it (at most five);</item>
/// <item>list newest first: index <c>gsi1</c> (<c>gsi1pk = JOBS</c>, <c>gsi1sk = id</c>, ids sort by time), descending, the cursor is the last id;</item>
/// <item>list by status: index <c>gsi2</c> (<c>gsi2pk = STATUS#status</c>, <c>gsi2sk = id</c>);</item>
/// <item>find claimable runs: sparse index <c>gsi3</c> holding only jobs with an unfinished run (<c>open = OPEN</c>);</item>
/// <item>follow open pull requests: sparse index <c>gsi4</c> holding only jobs with an open pull request (<c>pulls = OPEN</c>);</item>
/// <item>webhook deliveries already applied: items <c>pk = DELIVERY#id, sk = DELIVERY</c>, written only if absent, expiring after 30 days (<c>expiresAt</c>);</item>
/// <item>claim, renew, finish: a conditional put on <c>version</c>, so of two workers only one can own a run.</item>
/// </list>
/// Text search filters the listing on a lower-cased copy of prompt and title.
/// </summary>
public sealed class DynamoDbJobStore(IAmazonDynamoDB client, string tableName, bool createTableIfMissing) : IJobStore, IDeliveryLog
{
    private const string Open = "OPEN";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.DescribeTableAsync(tableName, cancellationToken);
        }
        catch (ResourceNotFoundException) when (createTableIfMissing)
        {
            await client.CreateTableAsync(TableDefinition(tableName), cancellationToken);
            for (var attempt = 0; ; attempt++)
            {
                var table = (await client.DescribeTableAsync(tableName, cancellationToken)).Table;
                if (table.TableStatus == TableStatus.ACTIVE && (table.GlobalSecondaryIndexes ?? []).All(i => i.IndexStatus == IndexStatus.ACTIVE))
                {
                    break;
                }

                if (attempt > 600)
                {
                    throw new InvalidOperationException($"The DynamoDB table {tableName} did not become active.");
                }

                await Task.Delay(100, cancellationToken);
            }
        }
        catch (ResourceNotFoundException)
        {
            throw new InvalidOperationException($"The DynamoDB table {tableName} does not exist; deploy it (infra/) or set CodyBatch:Aws:CreateTableIfMissing.");
        }
    }

    /// <summary>The table and its indexes, as the CDK app creates them.</summary>
    public static CreateTableRequest TableDefinition(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new("pk", ScalarAttributeType.S), new("sk", ScalarAttributeType.S),
            new("gsi1pk", ScalarAttributeType.S), new("gsi1sk", ScalarAttributeType.S),
            new("gsi2pk", ScalarAttributeType.S), new("gsi2sk", ScalarAttributeType.S),
            new("open", ScalarAttributeType.S), new("gsi3sk", ScalarAttributeType.S),
            new("pulls", ScalarAttributeType.S), new("gsi4sk", ScalarAttributeType.S),
        ],
        KeySchema = [new("pk", KeyType.HASH), new("sk", KeyType.RANGE)],
        GlobalSecondaryIndexes =
        [
            Index("gsi1", "gsi1pk", "gsi1sk"),
            Index("gsi2", "gsi2pk", "gsi2sk"),
            Index("gsi3", "open", "gsi3sk"),
            Index("gsi4", "pulls", "gsi4sk"),
        ],
    };

    /// <inheritdoc />
    public async Task CreateAsync(Job job, CancellationToken cancellationToken)
    {
        try
        {
            await client.PutItemAsync(
                new PutItemRequest { TableName = tableName, Item = ItemOf(job, job.Version), ConditionExpression = "attribute_not_exists(pk)" },
                cancellationToken);
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
            new GetItemRequest { TableName = tableName, Key = Key(jobId), ConsistentRead = true }, cancellationToken);
        return response.Item is { Count: > 0 } item ? JobOf(item) : null;
    }

    /// <inheritdoc />
    public async Task<Job?> TryUpdateAsync(Job job, CancellationToken cancellationToken)
    {
        var stored = job with { Version = job.Version + 1 };
        try
        {
            await client.PutItemAsync(
                new PutItemRequest
                {
                    TableName = tableName,
                    Item = ItemOf(stored, stored.Version),
                    ConditionExpression = "version = :expected",
                    ExpressionAttributeValues = new() { [":expected"] = new AttributeValue { N = job.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
                },
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
        var (index, partitionKey, sortKey, partition) = query.Status is { } status
            ? ("gsi2", "gsi2pk", "gsi2sk", $"STATUS#{status.ToString().ToLowerInvariant()}")
            : ("gsi1", "gsi1pk", "gsi1sk", "JOBS");
        var values = new Dictionary<string, AttributeValue> { [":p"] = new() { S = partition } };
        var condition = $"{partitionKey} = :p";
        if (query.Cursor is { } cursor)
        {
            condition += $" AND {sortKey} < :cursor";
            values[":cursor"] = new() { S = cursor };
        }

        string? filter = null;
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            filter = "contains(#search, :text)";
            values[":text"] = new() { S = query.Text.Trim().ToLowerInvariant() };
        }

        var jobs = new List<Job>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await client.QueryAsync(
                new QueryRequest
                {
                    TableName = tableName,
                    IndexName = index,
                    KeyConditionExpression = condition,
                    FilterExpression = filter,
                    ExpressionAttributeNames = filter is null ? null : new() { ["#search"] = "search" },
                    ExpressionAttributeValues = values,
                    ScanIndexForward = false,
                    Limit = limit + 1,
                    ExclusiveStartKey = start,
                },
                cancellationToken);
            jobs.AddRange((response.Items ?? []).Select(JobOf));
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (jobs.Count <= limit && start is not null);

        return jobs.Count > limit ? new JobPage([.. jobs.Take(limit)], jobs[limit - 1].Id) : new JobPage(jobs, null);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RunRef>> FindClaimableAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var open = new List<Job>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await client.QueryAsync(
                new QueryRequest
                {
                    TableName = tableName,
                    IndexName = "gsi3",
                    KeyConditionExpression = "#open = :open",
                    ExpressionAttributeNames = new() { ["#open"] = "open" },
                    ExpressionAttributeValues = new() { [":open"] = new() { S = Open } },
                    ExclusiveStartKey = start,
                },
                cancellationToken);
            open.AddRange((response.Items ?? []).Select(JobOf));
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);

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

    /// <inheritdoc />
    public async Task<IReadOnlyList<Job>> ListWithOpenPullRequestsAsync(CancellationToken cancellationToken)
    {
        var jobs = new List<Job>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await client.QueryAsync(
                new QueryRequest
                {
                    TableName = tableName,
                    IndexName = "gsi4",
                    KeyConditionExpression = "#pulls = :open",
                    ExpressionAttributeNames = new() { ["#pulls"] = "pulls" },
                    ExpressionAttributeValues = new() { [":open"] = new() { S = Open } },
                    ExclusiveStartKey = start,
                },
                cancellationToken);
            jobs.AddRange((response.Items ?? []).Select(JobOf));
            start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);

        return jobs;
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
                        ["receivedAt"] = new() { S = receivedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture) },
                        ["expiresAt"] = new() { N = receivedAt.AddDays(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) },
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
    public Task ForgetDeliveryAsync(string deliveryId, CancellationToken cancellationToken) =>
        client.DeleteItemAsync(
            new DeleteItemRequest
            {
                TableName = tableName,
                Key = new() { ["pk"] = new() { S = $"DELIVERY#{deliveryId}" }, ["sk"] = new() { S = "DELIVERY" } },
            },
            cancellationToken);

    private static GlobalSecondaryIndex Index(string name, string partitionKey, string sortKey) => new()
    {
        IndexName = name,
        KeySchema = [new(partitionKey, KeyType.HASH), new(sortKey, KeyType.RANGE)],
        Projection = new Projection { ProjectionType = ProjectionType.ALL },
    };

    private static Dictionary<string, AttributeValue> Key(string jobId) => new()
    {
        ["pk"] = new() { S = $"JOB#{jobId}" },
        ["sk"] = new() { S = "JOB" },
    };

    private static Dictionary<string, AttributeValue> ItemOf(Job job, long version)
    {
        var item = Key(job.Id);
        var status = job.Status.ToString().ToLowerInvariant();
        item["gsi1pk"] = new() { S = "JOBS" };
        item["gsi1sk"] = new() { S = job.Id };
        item["gsi2pk"] = new() { S = $"STATUS#{status}" };
        item["gsi2sk"] = new() { S = job.Id };
        item["version"] = new() { N = version.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        item["search"] = new() { S = $"{job.Prompt}\n{job.Title}".ToLowerInvariant() };
        item["data"] = new() { S = JsonSerializer.Serialize(job with { Version = 0 }, Json) };
        if (job.Runs.Any(r => !r.Status.IsFinal()))
        {
            item["open"] = new() { S = Open };
            item["gsi3sk"] = new() { S = job.Id };
        }

        if (job.Runs.Any(r => r.PullRequest?.State == PullRequestState.Open))
        {
            item["pulls"] = new() { S = Open };
            item["gsi4sk"] = new() { S = job.Id };
        }

        return item;
    }

    private static Job JobOf(Dictionary<string, AttributeValue> item) =>
        JsonSerializer.Deserialize<Job>(item["data"].S, Json)! with
        {
            Version = long.Parse(item["version"].N, System.Globalization.CultureInfo.InvariantCulture),
        };
}
