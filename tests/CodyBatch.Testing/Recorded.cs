namespace CodyBatch.Testing;

/// <summary>What an in-process fake received or noticed: appended from request threads, read by tests as a snapshot.</summary>
public sealed class Recorded<T>
{
    private readonly List<T> _items = [];

    public void Add(T item)
    {
        lock (_items)
        {
            _items.Add(item);
        }
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_items)
        {
            return [.. _items];
        }
    }
}
