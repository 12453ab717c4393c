using CodyBatch.Core.Notifications;

namespace CodyBatch.Aws.Documents;

/// <summary>
/// Notification delivery attempts in the jobs table: items <c>pk = NOTIFY#jobId</c>,
/// <c>sk = attemptedAt#deliveryId#target#attempt</c>, so one query reads a job's log in order.
/// </summary>
public sealed class DynamoDbNotificationLog(IAmazonDynamoDB client, string tableName) : INotificationLog
{
    /// <inheritdoc />
    public Task AddAsync(NotificationDelivery delivery, CancellationToken cancellationToken) =>
        client.PutItemAsync(
            new PutItemRequest
            {
                TableName = tableName,
                Item = new()
                {
                    ["pk"] = new() { S = $"NOTIFY#{delivery.JobId}" },
                    ["sk"] = new() { S = string.Create(CultureInfo.InvariantCulture, $"{delivery.AttemptedAt.UtcDateTime:O}#{delivery.DeliveryId}#{delivery.Target}#{delivery.Attempt:D2}") },
                    ["data"] = new() { S = JsonSerializer.Serialize(delivery, DynamoDbDocuments<NotificationDelivery>.Json) },
                },
            },
            cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<NotificationDelivery>> ListAsync(string jobId, CancellationToken cancellationToken)
    {
        var list = new List<NotificationDelivery>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await client.QueryAsync(
                new QueryRequest
                {
                    TableName = tableName,
                    KeyConditionExpression = "pk = :pk",
                    ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = $"NOTIFY#{jobId}" } },
                    ConsistentRead = true,
                    ExclusiveStartKey = start,
                },
                cancellationToken);
            list.AddRange((response.Items ?? []).Select(i => JsonSerializer.Deserialize<NotificationDelivery>(i["data"].S, DynamoDbDocuments<NotificationDelivery>.Json)!));
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        return list;
    }
}
