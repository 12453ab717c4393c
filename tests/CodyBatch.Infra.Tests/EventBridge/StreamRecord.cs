using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace CodyBatch.Infra.Tests.EventBridge;

/// <summary>
/// DynamoDB Streams records as AWS documents them for a NEW_AND_OLD_IMAGES stream (the shape Lambda and EventBridge
/// Pipes see): <c>eventName</c> INSERT / MODIFY / REMOVE, <c>eventSource</c> aws:dynamodb, and under <c>dynamodb</c>
/// the <c>Keys</c>, <c>NewImage</c> and <c>OldImage</c> in DynamoDB's typed JSON (<c>{"S": "…"}</c>, <c>{"N": "…"}</c>, <c>{"M": {…}}</c>).
/// </summary>
public static class StreamRecord
{
    private static long _sequence = 100;

    public static JsonObject Of(Dictionary<string, AttributeValue>? oldImage, Dictionary<string, AttributeValue>? newImage)
    {
        var name = (oldImage, newImage) switch
        {
            (null, not null) => "INSERT",
            (not null, not null) => "MODIFY",
            (not null, null) => "REMOVE",
            _ => throw new ArgumentException("A record has at least one image."),
        };
        var image = newImage ?? oldImage!;
        var dynamodb = new JsonObject
        {
            ["ApproximateCreationDateTime"] = 1_764_417_600,
            ["Keys"] = new JsonObject { ["pk"] = Typed(image["pk"]), ["sk"] = Typed(image["sk"]) },
            ["SequenceNumber"] = Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture).PadLeft(21, '1'),
            ["SizeBytes"] = 512,
            ["StreamViewType"] = "NEW_AND_OLD_IMAGES",
        };
        if (newImage is not null)
        {
            dynamodb["NewImage"] = Image(newImage);
        }

        if (oldImage is not null)
        {
            dynamodb["OldImage"] = Image(oldImage);
        }

        return new JsonObject
        {
            ["eventID"] = Guid.NewGuid().ToString("N"),
            ["eventName"] = name,
            ["eventVersion"] = "1.1",
            ["eventSource"] = "aws:dynamodb",
            ["awsRegion"] = "eu-west-1",
            ["dynamodb"] = dynamodb,
            ["eventSourceARN"] = "arn:aws:dynamodb:eu-west-1:123456789012:table/CodyBatch-Jobs/stream/2026-11-29T12:00:00.000",
        };
    }

    private static JsonObject Image(Dictionary<string, AttributeValue> item)
    {
        var image = new JsonObject();
        foreach (var (name, value) in item)
        {
            image[name] = Typed(value);
        }

        return image;
    }

    private static JsonObject Typed(AttributeValue value) =>
        value.S is not null ? new JsonObject { ["S"] = value.S }
        : value.N is not null ? new JsonObject { ["N"] = value.N }
        : value.M is not null ? new JsonObject { ["M"] = Image(value.M) }
        : value.L is not null ? new JsonObject { ["L"] = new JsonArray([.. value.L.Select(v => (JsonNode)Typed(v))]) }
        : value.BOOL is not null ? new JsonObject { ["BOOL"] = value.BOOL.Value }
        : new JsonObject { ["NULL"] = true };
}
