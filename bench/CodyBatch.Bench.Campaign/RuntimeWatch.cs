using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace CodyBatch.Bench.Campaign;

/// <summary>
/// The runtime's GC events of this process, as they happen: each pause (from the suspension that began it to the
/// restart that ended it) with the generation and kind of the collection it served, and, with
/// <paramref name="allocations"/>, the runtime's allocation samples (one about every 100 KB) summed by type.
/// </summary>
public sealed class RuntimeWatch(bool allocations) : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentQueue<GcPause> _pauses = new();
    private readonly ConcurrentDictionary<string, long> _allocated = new(StringComparer.Ordinal);
    private DateTime _suspended;
    private DateTime _allSuspended;
    private int _generation = -1;
    private string _kind = "";
    private EventSource? _runtime;

    /// <summary>The pauses seen so far, in the order they ended.</summary>
    public IReadOnlyCollection<GcPause> Pauses => _pauses;

    /// <summary>Bytes allocated by type name, as the runtime's samples estimate them (empty without allocation sampling).</summary>
    public IReadOnlyDictionary<string, long> Allocated => _allocated;

    /// <summary>Starts listening; the runtime's event source is usually created before this listener.</summary>
    public void Start()
    {
        if (_runtime is not null)
        {
            EnableEvents(_runtime, allocations ? EventLevel.Verbose : EventLevel.Informational, GcKeyword);
        }
    }

    /// <inheritdoc />
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            _runtime = eventSource;
        }
    }

    /// <inheritdoc />
    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        switch (eventData.EventName)
        {
            case "GCSuspendEEBegin_V1":
                _suspended = eventData.TimeStamp;
                _allSuspended = default;
                _generation = -1;
                _kind = "";
                break;
            case "GCStart_V2":
                _generation = Convert.ToInt32(eventData.Payload![1], System.Globalization.CultureInfo.InvariantCulture);
                _kind = Convert.ToInt32(eventData.Payload![3], System.Globalization.CultureInfo.InvariantCulture) switch
                {
                    0 => "blocking",
                    1 => "background",
                    _ => "foreground",
                } + Convert.ToInt32(eventData.Payload![2], System.Globalization.CultureInfo.InvariantCulture) switch
                {
                    0 or 5 => "",
                    1 or 7 => " (induced)",
                    2 or 9 => " (low memory)",
                    4 or 6 => " (large objects)",
                    var reason => $" (reason {reason})",
                };
                break;
            case "GCSuspendEEEnd_V1":
                _allSuspended = eventData.TimeStamp;
                break;
            case "GCRestartEEEnd_V1" when _suspended != default:
                _pauses.Enqueue(new GcPause(_suspended, _allSuspended == default ? _suspended : _allSuspended, eventData.TimeStamp, _generation, _generation < 0 ? "background (its 2nd pause)" : _kind));
                _suspended = default;
                break;
            case "GCAllocationTick_V4" or "GCAllocationTick_V3":
                var type = eventData.Payload![eventData.PayloadNames!.IndexOf("TypeName")] as string ?? "?";
                var amount = Convert.ToInt64(eventData.Payload![eventData.PayloadNames!.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
                _allocated.AddOrUpdate(type, amount, (_, n) => n + amount);
                break;
        }
    }
}

/// <summary>One GC pause: the runtime suspended at <paramref name="Start"/> and resumed at <paramref name="End"/> (UTC).</summary>
/// <param name="Start">When the runtime began to suspend its threads.</param>
/// <param name="Suspended">When every managed thread had stopped.</param>
/// <param name="End">When it had restarted them.</param>
/// <param name="Kind">Blocking, background or foreground.</param>
/// <param name="Generation">The generation the collection in it collected (-1 when only a background collection's suspension).</param>
public sealed record GcPause(DateTime Start, DateTime Suspended, DateTime End, int Generation, string Kind)
{
    /// <summary>How long stopping the threads took (the rest of the pause is the collection and the restart).</summary>
    public TimeSpan Suspending => Suspended - Start;

    /// <summary>How long the pause lasted.</summary>
    public TimeSpan Duration => End - Start;
}
