namespace CodyBatch.Core.Environments;

/// <summary>Starts a run's egress allow-list proxy: a host-side forwarding proxy on a Unix socket the sandbox gets bound in.</summary>
public interface IEgressProxyFactory
{
    /// <summary>
    /// Listens on <paramref name="socketPath"/> and lets through (HTTP <c>CONNECT</c> and plain HTTP forwarding) only
    /// connections to <paramref name="allowedDomains"/>; every decision is reported to <paramref name="decided"/>.
    /// Disposing it stops listening and closes every connection.
    /// </summary>
    Task<IAsyncDisposable> StartAsync(string socketPath, IReadOnlyList<string> allowedDomains, Action<EgressDecision> decided, CancellationToken cancellationToken);
}
