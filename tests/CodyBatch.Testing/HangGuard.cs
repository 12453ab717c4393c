namespace CodyBatch.Testing;

/// <summary>
/// Awaits an event a test expects and fails the test, instead of hanging it, when the event never
/// comes. The limit is never part of what a test proves: a test that passes moves on the moment
/// the event happens, and one that does not get it fails with the sentence given.
/// </summary>
public static class HangGuard
{
    /// <summary>How long a test waits for an awaited event before it fails.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>Awaits <paramref name="task"/>; fails with "<paramref name="expected"/> never happened" when it hangs.</summary>
    public static async Task Expect(this Task task, string expected)
    {
        try
        {
            await task.WaitAsync(Limit);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"{expected} never happened (waited {Limit.TotalSeconds:0} s).");
        }
    }

    /// <summary>Awaits <paramref name="task"/>'s value; fails with "<paramref name="expected"/> never happened" when it hangs.</summary>
    public static async Task<T> Expect<T>(this Task<T> task, string expected)
    {
        await ((Task)task).Expect(expected);
        return await task;
    }
}
