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
    private readonly Recorded<TimeSpan> _log = new();

    public ObservedClock()
        : this(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ObservedTimer(base.CreateTimer(callback, state, dueTime, period), this);
        Armed(dueTime);
        return timer;
    }

    /// <summary>
    /// Completes when a timer is armed for <paramref name="dueTime"/> (timers armed for other times
    /// on the way are passed over); fails the test if none is.
    /// </summary>
    public Task ArmedAsync(TimeSpan dueTime) => ArmedAsync(due => due == dueTime, 1, $"A timer armed for {dueTime}");

    /// <summary>
    /// Completes when <paramref name="times"/> more timers whose due time matches <paramref name="match"/>
    /// have been armed (others on the way are passed over); fails the test with <paramref name="expected"/> if they are not.
    /// </summary>
    public async Task ArmedAsync(Func<TimeSpan, bool> match, int times, string expected)
    {
        try
        {
            await WaitArmedAsync(match, times).WaitAsync(HangGuard.Limit);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException(
                $"{expected} never happened (waited {HangGuard.Limit.TotalSeconds:0} s); timers armed: {string.Join(", ", _log.Snapshot())}.");
        }
    }

    /// <summary>
    /// Completes once each of <paramref name="callers"/> has either finished or armed a timer whose
    /// due time matches <paramref name="match"/> (a caller arms one timer at most before the clock
    /// moves); returns how many are waiting. Fails the test with <paramref name="expected"/> if that never holds.
    /// </summary>
    public async Task<int> EachFinishedOrWaitingAsync(IReadOnlyList<Task> callers, Func<TimeSpan, bool> match, string expected)
    {
        var waiting = 0;
        var armed = WaitArmedAsync(match, 1);
        while (waiting + callers.Count(c => c.IsCompleted) < callers.Count)
        {
            var finished = Task.WhenAny(callers.Where(c => !c.IsCompleted));
            try
            {
                if (await Task.WhenAny(armed, finished).WaitAsync(HangGuard.Limit) == armed)
                {
                    waiting++;
                    armed = WaitArmedAsync(match, 1);
                }
            }
            catch (TimeoutException)
            {
                throw new Xunit.Sdk.XunitException(
                    $"{expected} never happened (waited {HangGuard.Limit.TotalSeconds:0} s); timers armed: {string.Join(", ", _log.Snapshot())}.");
            }
        }

        return waiting;
    }

    private void Armed(TimeSpan dueTime)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _log.Add(dueTime);
            _armed.Writer.TryWrite(dueTime);
        }
    }

    private async Task WaitArmedAsync(Func<TimeSpan, bool> match, int times)
    {
        for (var seen = 0; seen < times;)
        {
            if (match(await _armed.Reader.ReadAsync()))
            {
                seen++;
            }
        }
    }

    private sealed class ObservedTimer(ITimer inner, ObservedClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            clock.Armed(dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
