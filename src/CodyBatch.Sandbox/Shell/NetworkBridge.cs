using CodyBatch.Core.Environments;

namespace CodyBatch.Sandbox.Shell;

/// <summary>
/// The sandbox's only route out, when it has one: the host's egress proxy socket bound in, and a bridge (socat)
/// inside the sandbox's own network namespace that joins a loopback port to it. Commands get the port as
/// <c>HTTP_PROXY</c>/<c>HTTPS_PROXY</c>; the namespace has no other interface than its loopback.
/// </summary>
internal static class NetworkBridge
{
    public static IEnumerable<string> Arguments(SandboxNetwork network) => [];

    public static string Wrap(SandboxNetwork network, string script) => script;
}
