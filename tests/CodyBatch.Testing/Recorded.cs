namespace CodyBatch.Testing;

/// <summary>What an in-process fake received or noticed: appended from request threads, read by tests as a snapshot.</summary>
public sealed class Recorded<T>
{
    private readonly List<T> _items = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _waits = [];

    public void Add(T item)
    {
        List<TaskCompletionSource> reached;
        lock (_items)
        {
            _items.Add(item);
            reached = [.. _waits.Where(w => w.Count <= _items.Count).Select(w => w.Reached)];
            _waits.RemoveAll(w => w.Count <= _items.Count);
        }

        foreach (var wait in reached)
        {
            wait.TrySetResult();
        }
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_items)
        {
            return [.. _items];
        }
    }

    /// <summary>Completes once <paramref name="count"/> items have been recorded (at once if they have).</summary>
    public Task CountReachedAsync(int count)
    {
        lock (_items)
        {
            if (_items.Count >= count)
            {
                return Task.CompletedTask;
            }

            var wait = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waits.Add((count, wait));
            return wait.Task;
        }
    }
}
