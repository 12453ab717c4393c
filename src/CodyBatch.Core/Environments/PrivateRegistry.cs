namespace CodyBatch.Core.Environments;

/// <summary>
/// One private package registry under <c>CodyBatch:Egress:PrivateRegistries:&lt;n&gt;</c>: the sandbox sees it as a plain
/// loopback URL (<c>http://127.0.0.1:3128/registries/{Name}/…</c>) that the host side forwards to <see cref="Url"/>,
/// adding the credential there. The credential never enters the sandbox.
/// </summary>
public sealed class PrivateRegistry
{
    /// <summary>A short name (letters, digits, '-', '_'): the path segment of its loopback URL.</summary>
    public string Name { get; set; } = "";

    /// <summary>The upstream URL the package manager would be given (for NuGet the service index, <c>…/v3/index.json</c>); https, or http for a registry on the local network.</summary>
    public string Url { get; set; } = "";

    /// <summary><c>npm</c>, <c>pip</c> or <c>nuget</c>: which package manager's user configuration in the run's home points at it.</summary>
    public string Ecosystem { get; set; } = "";

    /// <summary>The credential (from the environment or a secret store, never from a repository).</summary>
    public string? Token { get; set; }

    /// <summary>With a user name the credential is sent as HTTP Basic (<c>Username:Token</c>, as PyPI mirrors and NuGet feeds take it); without, as <c>Authorization: Bearer</c> (as npm registries take it).</summary>
    public string? Username { get; set; }

    /// <summary>For npm: the scope (<c>@acme</c>) whose packages come from this registry; without one it becomes the default registry.</summary>
    public string? Scope { get; set; }
}
