namespace CodyBatch.Core.Access;

/// <summary>
/// Who the current piece of work acts for, flowing with the async call: the host sets it for each
/// API request from the authenticated key, the CLI for its commands. Services stamp authorship
/// from it; outside any request it is <see cref="Caller.Local"/>.
/// </summary>
public static class CallerContext
{
    private static readonly AsyncLocal<Caller?> Ambient = new();

    /// <summary>The caller of the current work.</summary>
    public static Caller Current => Ambient.Value ?? Caller.Local;

    /// <summary>Acts as <paramref name="caller"/> until the returned scope is disposed.</summary>
    public static IDisposable Use(Caller caller)
    {
        var previous = Ambient.Value;
        Ambient.Value = caller;
        return new Scope(previous);
    }

    private sealed class Scope(Caller? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
