namespace CodyBatch.Core.Environments;

/// <summary>Where no sandbox adapter is configured nothing sandboxed runs, so no proxy is needed: starts nothing.</summary>
public sealed class NoEgressProxyFactory : IEgressProxyFactory
{
    /// <inheritdoc />
    public Task<IAsyncDisposable> StartAsync(string socketPath, IReadOnlyList<string> allowedDomains, Action<EgressDecision> decided, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(new Nothing());

    private sealed class Nothing : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
