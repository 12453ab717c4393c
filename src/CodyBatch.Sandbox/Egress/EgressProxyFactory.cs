using CodyBatch.Core.Environments;
using Microsoft.Extensions.Options;

namespace CodyBatch.Sandbox.Egress;

/// <summary>
/// Starts a run's <see cref="EgressProxy"/> with the server's host-address map, connect timeout and private registries
/// (one client for all runs, so connections to a registry are reused).
/// </summary>
public sealed class EgressProxyFactory(IOptions<EgressOptions> options) : IEgressProxyFactory, IDisposable
{
    private readonly Lazy<HttpMessageInvoker> _client = new(() => RegistryForwarder.CreateClient(options.Value.ConnectTimeout));

    /// <inheritdoc />
    public Task<IAsyncDisposable> StartAsync(string socketPath, IReadOnlyList<string> allowedDomains, Action<EgressDecision> decided, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var policy = new EgressPolicy(allowedDomains, settings.HostAddresses, settings.ConnectTimeout);
        var registries = settings.PrivateRegistries.Count == 0 ? null : new RegistryForwarder(_client.Value, settings.PrivateRegistries);
        return Task.FromResult<IAsyncDisposable>(new EgressProxy(socketPath, policy, decided, registries));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }
}
