using System.Security;
using System.Text;

namespace CodyBatch.Core.Environments;

/// <summary>
/// The private registries as the sandbox sees them: each one's loopback URL, and the package managers' user
/// configuration in the run's home pointing at it (npm's <c>.npmrc</c>, pip's <c>pip.conf</c>, NuGet's
/// <c>NuGet.Config</c>). None of it holds a credential: the host side adds that when it forwards.
/// </summary>
public static class RegistryConfiguration
{
    /// <summary>The egress proxy's address inside every sandbox that has a network.</summary>
    public const string ProxyUrl = "http://127.0.0.1:3128";

    /// <summary>The path prefix under which the proxy forwards to private registries.</summary>
    public const string PathPrefix = "/registries/";

    /// <summary>The loopback URL of <paramref name="registry"/>'s origin: <c>http://127.0.0.1:3128/registries/{name}/</c>.</summary>
    public static string LoopbackBase(PrivateRegistry registry) => $"{ProxyUrl}{PathPrefix}{registry.Name}/";

    /// <summary>The loopback URL standing for <paramref name="registry"/>'s configured URL (its path and query kept).</summary>
    public static string LoopbackUrl(PrivateRegistry registry)
    {
        var url = new Uri(registry.Url);
        return LoopbackBase(registry) + url.PathAndQuery.TrimStart('/');
    }

    /// <summary>Writes the package managers' user configuration for <paramref name="registries"/> into <paramref name="home"/>.</summary>
    public static void Write(string home, IReadOnlyList<PrivateRegistry> registries)
    {
        var npm = registries.Where(r => r.Ecosystem == "npm").ToList();
        if (npm.Count > 0)
        {
            var text = new StringBuilder();
            foreach (var registry in npm)
            {
                text.Append(registry.Scope is { Length: > 0 } scope ? $"{scope}:registry=" : "registry=").Append(LoopbackUrl(registry)).Append('\n');
            }

            File.WriteAllText(Path.Combine(home, ".npmrc"), text.ToString());
        }

        if (registries.FirstOrDefault(r => r.Ecosystem == "pip") is { } pip)
        {
            var extra = registries.Where(r => r.Ecosystem == "pip").Skip(1).Select(LoopbackUrl).ToList();
            var folder = Directory.CreateDirectory(Path.Combine(home, ".config", "pip")).FullName;
            var text = $"[global]\nindex-url = {LoopbackUrl(pip)}\n" + (extra.Count > 0 ? $"extra-index-url = {string.Join(' ', extra)}\n" : "");
            File.WriteAllText(Path.Combine(folder, "pip.conf"), text);
        }

        var nuget = registries.Where(r => r.Ecosystem == "nuget").ToList();
        if (nuget.Count > 0)
        {
            var folder = Directory.CreateDirectory(Path.Combine(home, ".nuget", "NuGet")).FullName;
            var sources = string.Concat(nuget.Select(r =>
                $"    <add key=\"{SecurityElement.Escape(r.Name)}\" value=\"{SecurityElement.Escape(LoopbackUrl(r))}\" protocolVersion=\"3\" allowInsecureConnections=\"true\" />\n"));
            File.WriteAllText(
                Path.Combine(folder, "NuGet.Config"),
                $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n{sources}  </packageSources>\n</configuration>\n");
        }
    }
}
