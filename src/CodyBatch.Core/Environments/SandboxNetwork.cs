namespace CodyBatch.Core.Environments;

/// <summary>What a sandboxed command may reach over the network.</summary>
/// <param name="ProxySocketPath">
/// Null for no network at all. Otherwise the host-side Unix socket of the egress allow-list proxy: the sandbox gets it
/// as <c>HTTP_PROXY</c>/<c>HTTPS_PROXY</c> on a loopback port inside its own network namespace, its only route out.
/// </param>
/// <param name="AllowedDomains">The domains the proxy lets through, for the system prompt and the run's record.</param>
public sealed record SandboxNetwork(string? ProxySocketPath, IReadOnlyList<string> AllowedDomains)
{
    /// <summary>No network: the sandbox's namespace has only its own loopback.</summary>
    public static SandboxNetwork None { get; } = new(null, []);

    /// <summary>True when the sandbox reaches the proxy.</summary>
    public bool HasProxy => ProxySocketPath is not null;
}
