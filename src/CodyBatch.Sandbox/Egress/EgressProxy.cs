using System.Net.Sockets;
using System.Text;
using CodyBatch.Core.Environments;

namespace CodyBatch.Sandbox.Egress;

/// <summary>
/// A forwarding proxy on a Unix socket: <c>CONNECT host:port</c> (HTTPS, tunnelled untouched) and plain HTTP in
/// absolute form, each let through only to an allowed domain, refused at once with <c>403</c> otherwise. The
/// upstream connection is made from the host, to an address the proxy resolved itself: a name that resolves to a
/// loopback, private or link-local address is refused unless the operator mapped it (<c>CodyBatch:Egress:HostAddresses</c>).
/// A request in origin form under <c>/registries/</c> goes to a private registry (<see cref="RegistryForwarder"/>).
/// </summary>
internal sealed class EgressProxy : IAsyncDisposable
{
    private const int MaxHeaderBytes = 64 * 1024;
    private readonly Socket _listener;
    private readonly string _socketPath;
    private readonly EgressPolicy _policy;
    private readonly Action<EgressDecision> _decided;
    private readonly RegistryForwarder? _registries;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public EgressProxy(string socketPath, EgressPolicy policy, Action<EgressDecision> decided, RegistryForwarder? registries = null)
    {
        _registries = registries;
        _socketPath = socketPath;
        _policy = policy;
        _decided = decided;
        File.Delete(socketPath);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        _listener.Listen(128);

        // The sandbox's identity is not this process's: anyone who reaches the socket may connect (its folder decides who can).
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(socketPath, (UnixFileMode)0b110_110_110);
        }
        _accepting = Task.Run(AcceptAsync);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
        File.Delete(_socketPath);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var _ = client;
        await using var stream = new NetworkStream(client, ownsSocket: false);
        try
        {
            var (header, rest) = await ReadHeaderAsync(stream, _stop.Token);
            if (header is null)
            {
                await RespondAsync(stream, 400, "The request to the egress proxy was not HTTP.");
                return;
            }

            var lines = header.Split("\r\n");
            var parts = lines[0].Split(' ');
            if (parts.Length != 3)
            {
                await RespondAsync(stream, 400, "The request line was not understood.");
                return;
            }

            var (method, target, version) = (parts[0], parts[1], parts[2]);
            var connect = method.Equals("CONNECT", StringComparison.OrdinalIgnoreCase);
            string host;
            int port;
            string pathAndQuery = "";
            if (connect)
            {
                var colon = target.LastIndexOf(':');
                if (colon <= 0 || !int.TryParse(target[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out port))
                {
                    await RespondAsync(stream, 400, "CONNECT needs host:port.");
                    return;
                }

                host = target[..colon].Trim('[', ']');
            }
            else if (_registries is not null && RegistryForwarder.Handles(target))
            {
                // A private registry's loopback URL: forwarded with the credential added on this side.
                _decided(await _registries.ServeAsync(stream, method, target, lines, _stop.Token));
                return;
            }
            else if (Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp)
            {
                (host, port, pathAndQuery) = (uri.IdnHost, uri.Port, uri.PathAndQuery);
            }
            else
            {
                await RespondAsync(stream, 400, "Only CONNECT and absolute http:// requests go through the egress proxy.");
                return;
            }

            var (endpoint, refusal) = await _policy.ResolveAsync(host, port, _stop.Token);
            if (endpoint is null)
            {
                _decided(new EgressDecision(host, port, false, refusal));
                await RespondAsync(stream, 403, refusal!);
                return;
            }

            using var upstream = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                timeout.CancelAfter(_policy.ConnectTimeout);
                try
                {
                    await upstream.ConnectAsync(endpoint, timeout.Token);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException && !_stop.IsCancellationRequested)
                {
                    var reason = $"{host}:{port} could not be reached from the egress proxy ({(e is SocketException s ? s.SocketErrorCode.ToString() : "timed out")}).";
                    _decided(new EgressDecision(host, port, false, reason));
                    await RespondAsync(stream, 502, reason);
                    return;
                }
            }

            _decided(new EgressDecision(host, port, true, null));
            await using var up = new NetworkStream(upstream, ownsSocket: false);
            if (connect)
            {
                await stream.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), _stop.Token);
            }
            else
            {
                await up.WriteAsync(Encoding.Latin1.GetBytes(OriginForm(method, pathAndQuery, version, lines)), _stop.Token);
            }

            if (rest.Length > 0)
            {
                await up.WriteAsync(rest, _stop.Token);
            }

            await PipeAsync(stream, up, client, upstream);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The sandbox or the upstream hung up; nothing to tell anyone.
        }
    }

    // The request as the origin server expects it: the path only, without the proxy's own headers, and one request per connection.
    private static string OriginForm(string method, string pathAndQuery, string version, string[] lines)
    {
        var text = new StringBuilder($"{method} {pathAndQuery} {version}\r\n");
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var name = line.Split(':', 2)[0].Trim();
            if (!name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase) && !name.Equals("Connection", StringComparison.OrdinalIgnoreCase) && !name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase))
            {
                text.Append(line).Append("\r\n");
            }
        }

        return text.Append("Connection: close\r\n\r\n").ToString();
    }

    private async Task PipeAsync(NetworkStream client, NetworkStream upstream, Socket clientSocket, Socket upstreamSocket)
    {
        async Task CopyAsync(Stream from, Stream to, Socket target)
        {
            try
            {
                await from.CopyToAsync(to, _stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // One side ended.
            }

            try
            {
                target.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already closed.
            }
        }

        await Task.WhenAll(CopyAsync(client, upstream, upstreamSocket), CopyAsync(upstream, client, clientSocket));
    }

    private static async Task<(string? Header, byte[] Remainder)> ReadHeaderAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxHeaderBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return (null, []);
            }

            length += read;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return (Encoding.Latin1.GetString(buffer, 0, end), buffer[(end + 4)..length]);
            }
        }

        return (null, []);
    }

    private async Task RespondAsync(NetworkStream stream, int status, string message)
    {
        var reason = status switch { 400 => "Bad Request", 403 => "Forbidden", _ => "Bad Gateway" };
        var body = Encoding.UTF8.GetBytes($"Cody Batch egress proxy: {message}\n");
        var head = $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
        await stream.WriteAsync(body, _stop.Token);
    }
}
