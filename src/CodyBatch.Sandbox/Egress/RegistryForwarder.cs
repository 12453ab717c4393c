using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using CodyBatch.Core.Environments;

namespace CodyBatch.Sandbox.Egress;

/// <summary>
/// The host side of the private registries: a request the sandbox sends to
/// <c>http://127.0.0.1:3128/registries/{name}/{path}</c> goes to the registry's origin (over TLS when its URL is
/// https) with the registry's credential added here, and whatever the sandbox sent as credentials dropped. Text
/// answers (JSON, HTML, XML: package metadata, simple indexes, service indexes) have the registry's origin rewritten
/// to the loopback URL, so the tarballs they name are fetched the same way; any echo of the credential is redacted.
/// </summary>
internal sealed class RegistryForwarder(HttpMessageInvoker client, IReadOnlyList<PrivateRegistry> registries)
{
    private const long MaxRewrittenBytes = 256L * 1024 * 1024;

    // What an install sends (npm, pip and NuGet fetch metadata and archives): the only methods the credential goes with.
    private static readonly HashSet<string> InstallMethods = new(StringComparer.Ordinal) { "GET", "HEAD" };

    private static readonly HashSet<string> DroppedRequestHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Authorization", "Cookie", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Upgrade", "Accept-Encoding", "Content-Length", "Expect",
    };

    private static readonly HashSet<string> DroppedResponseHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Set-Cookie", "Strict-Transport-Security",
    };

    /// <summary>Whether <paramref name="target"/> (an origin-form request target) is meant for a private registry.</summary>
    public static bool Handles(string target) => target.StartsWith(RegistryConfiguration.PathPrefix, StringComparison.Ordinal);

    /// <summary>Forwards one request and writes the answer to <paramref name="sandbox"/>; a refusal is a 4xx with a sentence.</summary>
    public async Task<EgressDecision> ServeAsync(
        NetworkStream sandbox, string method, string target, string[] headerLines, CancellationToken cancellationToken)
    {
        var rest = target[RegistryConfiguration.PathPrefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : rest[(slash + 1)..];
        var registry = registries.FirstOrDefault(r => r.Name.Equals(name, StringComparison.Ordinal));
        if (registry is null)
        {
            var reason = $"no private registry is named \"{name}\" on this server (CodyBatch:Egress:PrivateRegistries).";
            await RespondAsync(sandbox, 404, "Not Found", reason, cancellationToken);
            return new EgressDecision("127.0.0.1", 3128, false, reason);
        }

        var origin = new Uri(registry.Url).GetLeftPart(UriPartial.Authority);
        var upstream = new Uri(origin + "/" + path);
        if (!InstallMethods.Contains(method))
        {
            // The credential is the server's: it may fetch packages, never publish, unpublish or change anything (npm
            // publish PUTs, npm audit POSTs; an install sends only GET and HEAD, and npm's audit failing is not fatal).
            var reason = $"{method} is not forwarded to the private registry {registry.Name}: its credential serves installs only (GET and HEAD), never a publish or any other change.";
            await RespondAsync(sandbox, 405, "Method Not Allowed", reason, cancellationToken, "Allow: GET, HEAD\r\n");
            return new EgressDecision(upstream.Host, upstream.Port, false, reason);
        }

        if (HasDotSegment(path) || !upstream.GetLeftPart(UriPartial.Authority).Equals(origin, StringComparison.OrdinalIgnoreCase))
        {
            var reason = $"the path \"{path}\" leaves the private registry {registry.Name}.";
            await RespondAsync(sandbox, 400, "Bad Request", reason, cancellationToken);
            return new EgressDecision(upstream.Host, upstream.Port, false, reason);
        }

        // GET and HEAD carry no body; a request that sends one is not an install's.
        if (headerLines.Any(l => l.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase)) || headerLines.Select(ContentLength).Any(l => l is > 0))
        {
            var reason = $"a {method} with a body is not forwarded to the private registry {registry.Name}: an install sends none.";
            await RespondAsync(sandbox, 400, "Bad Request", reason, cancellationToken);
            return new EgressDecision(upstream.Host, upstream.Port, false, reason);
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), upstream);
        foreach (var line in headerLines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var (header, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
            if (DroppedRequestHeaders.Contains(header) || header.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(header, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(header, value);
            }
        }

        request.Headers.Authorization = registry.Username is { Length: > 0 } user
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{registry.Token}")))
            : new AuthenticationHeaderValue("Bearer", registry.Token);
        request.Headers.AcceptEncoding.ParseAdd("gzip");

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            var reason = $"the private registry {registry.Name} could not be reached ({(e.InnerException as SocketException)?.SocketErrorCode.ToString() ?? e.HttpRequestError.ToString()}).";
            await RespondAsync(sandbox, 502, "Bad Gateway", reason, cancellationToken);
            return new EgressDecision(upstream.Host, upstream.Port, false, reason);
        }

        using (response)
        {
            await RelayAsync(sandbox, response, registry, origin, cancellationToken);
        }

        return new EgressDecision(upstream.Host, upstream.Port, true, null);
    }

    private async Task RelayAsync(NetworkStream sandbox, HttpResponseMessage response, PrivateRegistry registry, string origin, CancellationToken cancellationToken)
    {
        var head = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 {(int)response.StatusCode} {response.ReasonPhrase}\r\n"));
        foreach (var (header, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!DroppedResponseHeaders.Contains(header))
            {
                foreach (var value in values)
                {
                    head.Append(header).Append(": ").Append(Redact(value.Replace(origin, RegistryConfiguration.LoopbackBase(registry).TrimEnd('/'), StringComparison.OrdinalIgnoreCase), registry)).Append("\r\n");
                }
            }
        }

        var media = response.Content.Headers.ContentType?.MediaType ?? "";
        var text = media.Contains("json", StringComparison.OrdinalIgnoreCase) || media.Contains("html", StringComparison.OrdinalIgnoreCase)
            || media.Contains("xml", StringComparison.OrdinalIgnoreCase) || media.StartsWith("text/", StringComparison.OrdinalIgnoreCase);
        if (text && response.Content.Headers.ContentLength is null or <= MaxRewrittenBytes)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            body = Redact(body.Replace(origin + "/", RegistryConfiguration.LoopbackBase(registry), StringComparison.OrdinalIgnoreCase), registry);
            var bytes = Encoding.UTF8.GetBytes(body);
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {bytes.Length}\r\nConnection: close\r\n\r\n");
            await sandbox.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), cancellationToken);
            await sandbox.WriteAsync(bytes, cancellationToken);
            return;
        }

        if (response.Content.Headers.ContentLength is { } length)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {length}\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        await sandbox.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), cancellationToken);
        await using var content = await response.Content.ReadAsStreamAsync(cancellationToken);
        await content.CopyToAsync(sandbox, cancellationToken);
    }

    private static string Redact(string text, PrivateRegistry registry) =>
        registry.Token is { Length: > 0 } token ? text.Replace(token, "[redacted]", StringComparison.Ordinal) : text;

    private static long? ContentLength(string line) =>
        line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase) && long.TryParse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture, out var length)
            ? length
            : null;

    // "..", "." and their percent-encoded forms: a path may not climb out of the registry's own paths.
    private static bool HasDotSegment(string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var decoded = Uri.UnescapeDataString(query < 0 ? path : path[..query]).Replace('\\', '/');
        return decoded.Split('/').Any(s => s is "." or "..");
    }

    private static async Task RespondAsync(NetworkStream stream, int status, string phrase, string message, CancellationToken cancellationToken, string headers = "")
    {
        var body = Encoding.UTF8.GetBytes($"Cody Batch egress proxy: {message}\n");
        var head = $"HTTP/1.1 {status} {phrase}\r\n{headers}Content-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
        await stream.WriteAsync(body, cancellationToken);
    }

    /// <summary>The client the forwarder sends with: TLS as the system trusts it, redirects followed (credentials are not sent on), decompression here.</summary>
    public static HttpMessageInvoker CreateClient(TimeSpan connectTimeout) => new(
        new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        },
        disposeHandler: true);
}
