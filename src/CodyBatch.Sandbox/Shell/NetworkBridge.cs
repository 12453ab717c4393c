using CodyBatch.Core.Environments;

namespace CodyBatch.Sandbox.Shell;

/// <summary>
/// The sandbox's only route out, when it has one: the host's egress proxy socket bound in, and a bridge (socat)
/// inside the sandbox's own network namespace that joins a loopback port to it. Commands get the port as
/// <c>HTTP_PROXY</c>/<c>HTTPS_PROXY</c>; the namespace has no other interface than its loopback, so nothing else
/// (the host's services included) has a route.
/// </summary>
internal static class NetworkBridge
{
    public const string ProxyUrl = RegistryConfiguration.ProxyUrl;
    private const string SocketInside = "/run/codybatch-egress.sock";

    /// <summary>The bind of the proxy's socket (at <paramref name="socket"/> as bwrap sees it) and the proxy variables.</summary>
    public static IEnumerable<string> Arguments(string? socket)
    {
        if (socket is null)
        {
            return [];
        }

        var arguments = new List<string> { "--bind", socket, SocketInside };
        foreach (var name in new[] { "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy" })
        {
            arguments.AddRange(["--setenv", name, ProxyUrl]);
        }

        arguments.AddRange(["--setenv", "NO_PROXY", "localhost,127.0.0.1", "--setenv", "no_proxy", "localhost,127.0.0.1"]);

        // The sandbox's launch made it fail fast for want of a network; with the proxy it has one, so the package managers' usual retries come back.
        string[] set = ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "NO_PROXY", "no_proxy"];
        foreach (var (name, _) in Bubblewrap.SandboxArguments.OfflineEnvironment.Where(v => !set.Contains(v.Name, StringComparer.Ordinal)))
        {
            arguments.AddRange(["--unsetenv", name]);
        }

        return arguments;
    }

    /// <summary><paramref name="script"/>, preceded (when there is a proxy) by starting the bridge and waiting until it listens.</summary>
    public static string Wrap(SandboxNetwork network, string script) => network.HasProxy
        ? $$"""
            socat TCP-LISTEN:3128,bind=127.0.0.1,reuseaddr,fork UNIX-CONNECT:{{SocketInside}} < /dev/null > /dev/null 2>&1 &
            i=0
            while ! grep -q ':0C38 00000000:0000 0A' /proc/net/tcp && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done
            {{script}}
            """
        : script;
}
