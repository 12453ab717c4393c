using System.Text.Json.Serialization;

namespace CodyBatch.Aws.Documents;

/// <summary>
/// Records kept whole as JSON in the jobs table, all of one kind in one partition
/// (<c>pk = PARTITION, sk = id</c>), with conditional puts on <c>version</c>. Saved prompts and
/// schedules are few and small, so one partition read lists them.
/// </summary>
internal sealed class DynamoDbDocuments<T>(IAmazonDynamoDB client, string tableName, string partition, Func<T, string> id, Func<T, long> version, Func<T, long, T> withVersion)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public async Task CreateAsync(T document, CancellationToken cancellationToken)
    {
        try
        {
            await client.PutItemAsync(
                new PutItemRequest { TableName = tableName, Item = ItemOf(document, version(document)), ConditionExpression = "attribute_not_exists(pk)" },
                cancellationToken);
        }
        catch (ConditionalCheckFailedException e)
        {
            throw new InvalidOperationException($"A record with id {id(document)} exists already.", e);
        }
    }

    /// <summary>Stores new documents 25 to a request (BatchWriteItem, unconditional: for fresh keys only), retrying what DynamoDB leaves unprocessed.</summary>
    public async Task CreateManyAsync(IReadOnlyList<T> documents, CancellationToken cancellationToken)
    {
        foreach (var chunk in documents.Chunk(25))
        {
            var pending = new Dictionary<string, List<WriteRequest>>
            {
                [tableName] = [.. chunk.Select(d => new WriteRequest { PutRequest = new PutRequest { Item = ItemOf(d, version(d)) } })],
            };
            for (var attempt = 0; pending.Count > 0; attempt++)
            {
                if (attempt >= 10)
                {
                    throw new InvalidOperationException($"DynamoDB left {pending.Sum(p => p.Value.Count)} writes unprocessed after {attempt} attempts.");
                }

                var response = await client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending }, cancellationToken);
                pending = response.UnprocessedItems is { Count: > 0 } left ? left : [];
            }
        }
    }

    public async Task<T?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var response = await client.GetItemAsync(new GetItemRequest { TableName = tableName, Key = Key(key), ConsistentRead = true }, cancellationToken);
        return response.Item is { Count: > 0 } item ? DocumentOf(item) : default;
    }

    public async Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await QueryPartitionAsync(null, cancellationToken)).Select(DocumentOf)];

    /// <summary>The partition's documents' versions added up (0 when none): a query that reads only the <c>version</c> attribute.</summary>
    public async Task<long> SumVersionsAsync(CancellationToken cancellationToken) =>
        (await QueryPartitionAsync("version", cancellationToken)).Sum(item => long.Parse(item["version"].N, CultureInfo.InvariantCulture));

    // Every item of the partition, page after page; only the one attribute named when one is.
    private async Task<List<Dictionary<string, AttributeValue>>> QueryPartitionAsync(string? onlyAttribute, CancellationToken cancellationToken)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await client.QueryAsync(
                new QueryRequest
                {
                    TableName = tableName,
                    KeyConditionExpression = "pk = :pk",
                    ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = partition } },
                    ProjectionExpression = onlyAttribute is null ? null : "#only",
                    ExpressionAttributeNames = onlyAttribute is null ? null : new() { ["#only"] = onlyAttribute },
                    ConsistentRead = true,
                    ExclusiveStartKey = start,
                },
                cancellationToken);
            items.AddRange(response.Items ?? []);
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        return items;
    }

    public async Task<T?> TryUpdateAsync(T document, CancellationToken cancellationToken)
    {
        var stored = withVersion(document, version(document) + 1);
        try
        {
            await client.PutItemAsync(
                new PutItemRequest
                {
                    TableName = tableName,
                    Item = ItemOf(stored, version(stored)),
                    ConditionExpression = "version = :expected",
                    ExpressionAttributeValues = new() { [":expected"] = new AttributeValue { N = version(document).ToString(CultureInfo.InvariantCulture) } },
                },
                cancellationToken);
            return stored;
        }
        catch (ConditionalCheckFailedException)
        {
            return default;
        }
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var response = await client.DeleteItemAsync(
            new DeleteItemRequest { TableName = tableName, Key = Key(key), ReturnValues = ReturnValue.ALL_OLD }, cancellationToken);
        return response.Attributes is { Count: > 0 };
    }

    private Dictionary<string, AttributeValue> Key(string key) => new() { ["pk"] = new() { S = partition }, ["sk"] = new() { S = key } };

    private Dictionary<string, AttributeValue> ItemOf(T document, long storedVersion) => new()
    {
        ["pk"] = new() { S = partition },
        ["sk"] = new() { S = id(document) },
        ["version"] = new() { N = storedVersion.ToString(CultureInfo.InvariantCulture) },
        ["data"] = new() { S = JsonSerializer.Serialize(document, Json) },
    };

    private T DocumentOf(Dictionary<string, AttributeValue> item) =>
        withVersion(JsonSerializer.Deserialize<T>(item["data"].S, Json)!, long.Parse(item["version"].N, CultureInfo.InvariantCulture));
}
