using System.Net;
using System.Net.Sockets;

namespace CodyBatch.Sandbox.Egress;

/// <summary>
/// Which connections the egress proxy makes: a host on the allow-list (the domain or one of its subdomains), on
/// port 443 or 80 (any port for a host the operator mapped), at an address the proxy resolved itself that is public
/// unless the operator mapped the name.
/// </summary>
internal sealed class EgressPolicy(IReadOnlyList<string> allowedDomains, IReadOnlyDictionary<string, string> hostAddresses, TimeSpan connectTimeout)
{
    public TimeSpan ConnectTimeout => connectTimeout;

    public bool Allows(string host) => allowedDomains
        .Select(d => d.Trim().TrimStart('*').Trim('.').ToLowerInvariant())
        .Any(d => d.Length > 0 && (host.Equals(d, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + d, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Where to connect for <paramref name="host"/>:<paramref name="port"/>, or why not.</summary>
    public async Task<(IPEndPoint? Endpoint, string? Refusal)> ResolveAsync(string host, int port, CancellationToken cancellationToken)
    {
        if (!Allows(host))
        {
            return (null, $"{host} is not on this run's egress allow-list ({(allowedDomains.Count == 0 ? "empty" : string.Join(", ", allowedDomains))}); the connection was refused.");
        }

        var mapped = hostAddresses.FirstOrDefault(p => p.Key.Equals(host, StringComparison.OrdinalIgnoreCase)).Value;
        if (mapped is not null)
        {
            return Parse(mapped, port) is { } endpoint ? (endpoint, null) : (null, $"The address mapped for {host} (\"{mapped}\", CodyBatch:Egress:HostAddresses) is not an address.");
        }

        if (port is not (443 or 80))
        {
            return (null, $"{host}:{port}: only ports 443 and 80 go through the egress proxy; the connection was refused.");
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException e)
        {
            return (null, $"{host} could not be resolved ({e.SocketErrorCode}).");
        }

        var address = addresses.FirstOrDefault(IsPublic);
        return address is null
            ? (null, $"{host} resolves to no public address ({string.Join(", ", addresses.Select(a => a.ToString()))}); the connection was refused.")
            : (new IPEndPoint(address, port), null);
    }

    private static IPEndPoint? Parse(string mapped, int port)
    {
        // "address" keeps the port asked for; "address:port" sends every connection to that port.
        return IPEndPoint.TryParse(mapped, out var endpoint)
            ? endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, port) : endpoint
            : null;
    }

    // Loopback, private, link-local (cloud metadata), carrier-grade NAT, multicast and unspecified addresses are the host's and its network's own.
    private static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        }

        var b = address.GetAddressBytes();
        return !(b[0] == 10 || b[0] == 0 || b[0] >= 224 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] >= 64 && b[1] <= 127));
    }
}
