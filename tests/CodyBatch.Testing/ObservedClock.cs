using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace CodyBatch.Testing;

/// <summary>
/// A fake clock that says when a timer is armed (created with a due time, or changed to one), so a
/// test moves time only once the timer it expects exists, instead of hoping it does by then.
/// </summary>
public sealed class ObservedClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();

    public ObservedClock()
        : this(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ObservedTimer(base.CreateTimer(callback, state, dueTime, period), _armed.Writer);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _armed.Writer.TryWrite(dueTime);
        }

        return timer;
    }

    /// <summary>
    /// Completes when a timer is armed for <paramref name="dueTime"/> (timers armed for other times
    /// on the way are passed over); fails the test if none is.
    /// </summary>
    public Task ArmedAsync(TimeSpan dueTime) => WaitArmedAsync(dueTime).Expect($"A timer armed for {dueTime}");

    private async Task WaitArmedAsync(TimeSpan dueTime)
    {
        while (await _armed.Reader.ReadAsync() != dueTime)
        {
        }
    }

    private sealed class ObservedTimer(ITimer inner, ChannelWriter<TimeSpan> armed) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                armed.TryWrite(dueTime);
            }

            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
