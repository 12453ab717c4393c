using System.Collections.Concurrent;
using CodyBatch.Core.Jobs;

namespace CodyBatch.Core.Engine;

/// <summary>
/// The runs this process is executing, so that a cancel stops them at once. Runs owned by
/// other processes learn of a cancel at their next lease renewal.
/// </summary>
public sealed class RunCancellations
{
    private readonly ConcurrentDictionary<RunRef, Action> _running = new();

    /// <summary>Registers <paramref name="cancel"/> for <paramref name="run"/> until the returned handle is disposed.</summary>
    public IDisposable Register(RunRef run, Action cancel)
    {
        var key = Normalize(run);
        _running[key] = cancel;
        return new Registration(() => _running.TryRemove(new KeyValuePair<RunRef, Action>(key, cancel)));
    }

    /// <summary>Cancels <paramref name="run"/> if this process is executing it.</summary>
    public bool Cancel(RunRef run)
    {
        if (_running.TryGetValue(Normalize(run), out var cancel))
        {
            cancel();
            return true;
        }

        return false;
    }

    private static RunRef Normalize(RunRef run) => run with { Repository = run.Repository.ToUpperInvariant() };

    private sealed class Registration(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
