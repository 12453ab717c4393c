namespace CodyBatch.Infra;

/// <summary>
/// The filter patterns of the dispatch pipe, in EventBridge's pattern language, over DynamoDB stream records.
/// <c>exists</c> applies to leaf values only, so every test names the attribute's type (<c>.S</c>): a test on
/// the attribute itself (a map such as <c>{"S":"OPEN#3"}</c>) is never a leaf and would match every write.
/// </summary>
public static class DispatchPatterns
{
    /// <summary>A new job (its item carries an open-runs shard key).</summary>
    public const string Created = """{"eventName":["INSERT"],"dynamodb":{"NewImage":{"openShard":{"S":[{"prefix":"OPEN#"}]}}}}""";

    /// <summary>A finished job that got a run queued again (a retry): open now, not open before.</summary>
    public const string Reopened = """{"eventName":["MODIFY"],"dynamodb":{"NewImage":{"openShard":{"S":[{"prefix":"OPEN#"}]}},"OldImage":{"openShard":{"S":[{"exists":false}]}}}}""";

    /// <summary>The reconciler marked a job whose dispatch was lost or whose worker stopped: the mark appeared.</summary>
    public const string Redispatched = """{"eventName":["MODIFY"],"dynamodb":{"NewImage":{"redispatchAt":{"S":[{"exists":true}]}},"OldImage":{"redispatchAt":{"S":[{"exists":false}]}}}}""";
}
