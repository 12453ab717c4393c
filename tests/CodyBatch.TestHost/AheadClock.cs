namespace CodyBatch.TestHost;

/// <summary>
/// The system clock moved ahead by a fixed span (timers still run in real time): a server started on it sees leases that
/// another process took a moment ago as already run out, as the same server would once they had.
/// </summary>
internal sealed class AheadClock(TimeSpan ahead) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + ahead;
}
