namespace CodyBatch.GitHub.Api;

/// <summary>
/// What this process knows about one token's GitHub rate limits, shared by every call made with it
/// (all runs, every page of a list): the primary budget left in the current window and when the
/// window resets, and how long a secondary limit asked to hold off. Requests count against the
/// budget as they are sent, so concurrent runs never send more than GitHub said is left.
/// </summary>
public sealed class GitHubRateLimitState(TimeProvider time)
{
    private readonly Lock _gate = new();
    private int? _remaining;
    private DateTimeOffset _reset = DateTimeOffset.MinValue;
    private DateTimeOffset _holdUntil = DateTimeOffset.MinValue;
    private string _holdKind = "primary";

    /// <summary>
    /// Takes one request from the budget, or says how long to wait first and why (then call again
    /// after the wait: it lets the request go once the wait it named is over).
    /// </summary>
    public (TimeSpan Wait, string Kind)? TryAcquire()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            // Whole seconds, as GitHub counts them; a second of slack after a reset.
            if (_holdUntil > now)
            {
                return (WholeSeconds(_holdUntil - now), _holdKind);
            }

            if (_remaining is <= 0 && _reset > now)
            {
                return (WholeSeconds(_reset - now + TimeSpan.FromSeconds(1)), "primary");
            }

            if (_remaining is { } left)
            {
                _remaining = _reset > now ? left - 1 : null;
            }

            return null;
        }
    }

    private static TimeSpan WholeSeconds(TimeSpan wait) => TimeSpan.FromSeconds(Math.Ceiling(wait.TotalSeconds));

    /// <summary>Forgets a wait that has been waited out (the clock may not have moved as far, as with test clocks).</summary>
    public void Waited(TimeSpan wait, string kind)
    {
        lock (_gate)
        {
            if (kind == "primary")
            {
                _remaining = null;
            }
            else
            {
                _holdUntil = DateTimeOffset.MinValue;
            }
        }
    }

    /// <summary>Records what a response said about the primary limit (<c>x-ratelimit-remaining</c>, <c>x-ratelimit-reset</c>).</summary>
    public void Observe(int remaining, DateTimeOffset reset)
    {
        lock (_gate)
        {
            // Within one window the smaller count wins: answers to requests sent earlier arrive late.
            _remaining = reset == _reset && _remaining is { } known ? Math.Min(known, remaining) : remaining;
            _reset = reset;
        }
    }

    /// <summary>Records a secondary limit: nothing is sent with this token before <paramref name="wait"/> has passed.</summary>
    public void Hold(TimeSpan wait, string kind)
    {
        var until = time.GetUtcNow() + wait;
        lock (_gate)
        {
            if (until > _holdUntil)
            {
                (_holdUntil, _holdKind) = (until, kind);
            }
        }
    }
}
