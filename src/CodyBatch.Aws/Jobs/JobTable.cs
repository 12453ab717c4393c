namespace CodyBatch.Aws.Jobs;

/// <summary>The jobs table and its indexes as the CDK app creates them (for development and tests).</summary>
internal static class JobTable
{
    public static CreateTableRequest Definition(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new("pk", ScalarAttributeType.S), new("sk", ScalarAttributeType.S),
            new("gsi1pk", ScalarAttributeType.S), new("gsi1sk", ScalarAttributeType.S),
            new("gsi2pk", ScalarAttributeType.S), new("gsi2sk", ScalarAttributeType.S),
            new("openShard", ScalarAttributeType.S), new("gsi3sk", ScalarAttributeType.S),
            new("pulls", ScalarAttributeType.S), new("gsi4sk", ScalarAttributeType.S),
        ],
        KeySchema = [new("pk", KeyType.HASH), new("sk", KeyType.RANGE)],
        GlobalSecondaryIndexes =
        [
            Index("gsi1", "gsi1pk", "gsi1sk", "search"),
            Index("gsi2", "gsi2pk", "gsi2sk", "search"),
            Index("gsi3", "openShard", "gsi3sk"),
            Index("gsi4", "pulls", "gsi4sk"),
        ],
    };

    public static async Task WaitActiveAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var table = (await client.DescribeTableAsync(tableName, cancellationToken)).Table;
            if (table.TableStatus == TableStatus.ACTIVE && (table.GlobalSecondaryIndexes ?? []).All(i => i.IndexStatus == IndexStatus.ACTIVE))
            {
                return;
            }

            if (attempt > 600)
            {
                throw new InvalidOperationException($"The DynamoDB table {tableName} did not become active.");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    // Keys only, or keys and the named attributes: an index holds what its queries read and nothing that changes on a renewal.
    private static GlobalSecondaryIndex Index(string name, string partitionKey, string sortKey, params string[] include) => new()
    {
        IndexName = name,
        KeySchema = [new(partitionKey, KeyType.HASH), new(sortKey, KeyType.RANGE)],
        Projection = include.Length == 0
            ? new Projection { ProjectionType = ProjectionType.KEYS_ONLY }
            : new Projection { ProjectionType = ProjectionType.INCLUDE, NonKeyAttributes = [.. include] },
    };
}
