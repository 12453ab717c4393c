using CodyBatch.Core.Environments;
using Microsoft.Extensions.Options;

namespace CodyBatch.Sandbox.Egress;

/// <summary>Starts a run's <see cref="EgressProxy"/> with the server's host-address map and connect timeout.</summary>
public sealed class EgressProxyFactory(IOptions<EgressOptions> options) : IEgressProxyFactory
{
    /// <inheritdoc />
    public Task<IAsyncDisposable> StartAsync(string socketPath, IReadOnlyList<string> allowedDomains, Action<EgressDecision> decided, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var policy = new EgressPolicy(allowedDomains, settings.HostAddresses, settings.ConnectTimeout);
        return Task.FromResult<IAsyncDisposable>(new EgressProxy(socketPath, policy, decided));
    }
}
