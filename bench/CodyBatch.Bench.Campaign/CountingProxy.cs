using System.Collections.Concurrent;
using System.Reflection;

namespace CodyBatch.Bench.Campaign;

/// <summary>A decorator for any store interface that counts its calls by method, then forwards them.</summary>
public class CountingProxy<T> : DispatchProxy
    where T : class
{
    private T _inner = null!;
    private ConcurrentDictionary<string, int> _counts = null!;

    /// <summary>Wraps <paramref name="inner"/>; each call adds one to <paramref name="counts"/> under <c>Interface.Method</c>.</summary>
    public static T Wrap(T inner, ConcurrentDictionary<string, int> counts)
    {
        var proxy = Create<T, CountingProxy<T>>();
        var counting = (CountingProxy<T>)(object)proxy;
        counting._inner = inner;
        counting._counts = counts;
        return proxy;
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        _counts.AddOrUpdate($"{typeof(T).Name}.{targetMethod.Name}", 1, (_, n) => n + 1);
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
