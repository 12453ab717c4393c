using CodyBatch.Aws.Documents;
using CodyBatch.Core.Access;

namespace CodyBatch.Aws.Access;

/// <summary>
/// The audit log in the jobs table: one partition per UTC day, <c>pk = AUDIT#yyyy-MM-dd</c>,
/// <c>sk = id</c> (time-ordered). Entries are only ever put with a condition that none exists at that
/// key, never updated; a query walks the days from the newest back and filters as it reads.
/// </summary>
public sealed class DynamoDbAuditLog(IAmazonDynamoDB client, string tableName) : IAuditLog
{
    /// <inheritdoc />
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        client.PutItemAsync(
            new PutItemRequest
            {
                TableName = tableName,
                Item = new()
                {
                    ["pk"] = new() { S = Partition(entry.At) },
                    ["sk"] = new() { S = entry.Id },
                    ["data"] = new() { S = JsonSerializer.Serialize(entry, DynamoDbDocuments<AuditEntry>.Json) },
                },
                ConditionExpression = "attribute_not_exists(pk)",
            },
            cancellationToken);

    /// <inheritdoc />
    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(query.Limit, 1, 200);
        var until = query.Until ?? throw new ArgumentException("The audit query needs an end (Until).", nameof(query));
        var since = query.Since ?? throw new ArgumentException("The audit query needs a start (Since).", nameof(query));
        var newest = query.Cursor is { } cursor && JobId.TimeOf(cursor["audit-".Length..]) is { } at && at < until ? at : until;
        var found = new List<AuditEntry>();
        for (var day = newest.UtcDateTime.Date; day >= since.UtcDateTime.Date && found.Count <= limit; day = day.AddDays(-1))
        {
            Dictionary<string, AttributeValue>? start = null;
            do
            {
                var request = new QueryRequest
                {
                    TableName = tableName,
                    KeyConditionExpression = query.Cursor is null ? "pk = :pk" : "pk = :pk AND sk < :cursor",
                    ExpressionAttributeValues = new() { [":pk"] = new() { S = Partition(day) } },
                    ScanIndexForward = false,
                    ConsistentRead = true,
                    ExclusiveStartKey = start,
                };
                if (query.Cursor is not null)
                {
                    request.ExpressionAttributeValues[":cursor"] = new() { S = query.Cursor };
                }

                var response = await client.QueryAsync(request, cancellationToken);
                found.AddRange((response.Items ?? [])
                    .Select(i => JsonSerializer.Deserialize<AuditEntry>(i["data"].S, DynamoDbDocuments<AuditEntry>.Json)!)
                    .Where(e => Matches(e, query)));
                start = response.LastEvaluatedKey is { Count: > 0 } next && found.Count <= limit ? next : null;
            }
            while (start is not null);
        }

        return found.Count > limit ? new AuditPage([.. found.Take(limit)], found[limit - 1].Id) : new AuditPage(found, null);
    }

    /// <inheritdoc />
    public async Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        // The retention runs daily, so the month before the cutoff holds all that can be left.
        var deleted = 0;
        for (var day = cutoff.UtcDateTime.Date; day > cutoff.UtcDateTime.Date.AddDays(-31); day = day.AddDays(-1))
        {
            Dictionary<string, AttributeValue>? start = null;
            do
            {
                var response = await client.QueryAsync(
                    new QueryRequest
                    {
                        TableName = tableName,
                        KeyConditionExpression = "pk = :pk",
                        ExpressionAttributeValues = new() { [":pk"] = new() { S = Partition(day) } },
                        ExclusiveStartKey = start,
                    },
                    cancellationToken);
                foreach (var item in response.Items ?? [])
                {
                    if (JsonSerializer.Deserialize<AuditEntry>(item["data"].S, DynamoDbDocuments<AuditEntry>.Json)!.At < cutoff)
                    {
                        await client.DeleteItemAsync(new DeleteItemRequest { TableName = tableName, Key = new() { ["pk"] = item["pk"], ["sk"] = item["sk"] } }, cancellationToken);
                        deleted++;
                    }
                }

                start = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
            }
            while (start is not null);
        }

        return deleted;
    }

    private static bool Matches(AuditEntry entry, AuditQuery query) =>
        entry.At >= query.Since && entry.At < query.Until
        && (string.IsNullOrWhiteSpace(query.Actor) || string.Equals(entry.Actor, query.Actor.Trim(), StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrWhiteSpace(query.Action) || string.Equals(entry.Action, query.Action.Trim(), StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrWhiteSpace(query.Target) || (entry.Target ?? "").Contains(query.Target.Trim(), StringComparison.OrdinalIgnoreCase));

    private static string Partition(DateTimeOffset at) => Partition(at.UtcDateTime.Date);

    private static string Partition(DateTime day) => "AUDIT#" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
