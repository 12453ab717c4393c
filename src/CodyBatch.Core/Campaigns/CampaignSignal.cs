namespace CodyBatch.Core.Campaigns;

/// <summary>Wakes the server's campaign loop when a campaign's job ended or a user acted on a campaign.</summary>
public sealed class CampaignSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Asks the loop for a step soon.</summary>
    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    /// <summary>Waits for a notification or until <paramref name="timeout"/> passes (on <paramref name="time"/>).</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout > TimeSpan.Zero ? timeout : TimeSpan.Zero, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            await _signal.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timer ran out.
        }
    }
}
