using System.ComponentModel.DataAnnotations;

namespace CodyBatch.Core.Environments;

/// <summary>
/// Settings under <c>CodyBatch:Egress</c>: the allow-list proxy that is the only way out of a run's sandbox (for its
/// setup and its shell). A job chooses <c>network: "registries"</c> (the default) or <c>"none"</c>.
/// </summary>
public sealed class EgressOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CodyBatch:Egress";

    /// <summary>
    /// The widest network a job may have, and what a job that does not say gets: <c>Registries</c> (the allow-list
    /// below, through the egress proxy) or <c>None</c>. A job can ask for less (<c>network: "none"</c>), never more.
    /// </summary>
    public Jobs.JobNetwork Network { get; set; } = Jobs.JobNetwork.Registries;

    /// <summary>
    /// The domains a sandbox may reach (each with its subdomains): by default the public package registries of the
    /// ecosystems Cody Batch detects. Empty means no network for any run.
    /// </summary>
    public List<string> AllowedDomains { get; set; } =
    [
        "registry.npmjs.org", "registry.yarnpkg.com", "pypi.org", "files.pythonhosted.org", "api.nuget.org",
        "proxy.golang.org", "sum.golang.org", "index.crates.io", "static.crates.io",
    ];

    /// <summary>
    /// Host names the proxy resolves to a fixed address (<c>address</c> or <c>address:port</c>) instead of asking DNS;
    /// for a registry on the local network (or a test). Only these may resolve to a loopback or private address.
    /// </summary>
    public Dictionary<string, string> HostAddresses { get; set; } = [];

    /// <summary>How long the proxy waits for an upstream connection before refusing.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "CodyBatch:Egress:ConnectTimeout must be between 1 second and 5 minutes.")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Private registries the sandbox reaches through a loopback URL; the host side adds each one's credential (see
    /// <see cref="PrivateRegistry"/>). They need no entry in <see cref="AllowedDomains"/>.
    /// </summary>
    public List<PrivateRegistry> PrivateRegistries { get; set; } = [];

    /// <summary>The network the server allows at most: <see cref="Network"/>, or none when no domain and no private registry is allowed.</summary>
    public Jobs.JobNetwork ServerNetwork => (AllowedDomains.Any(d => !string.IsNullOrWhiteSpace(d)) || PrivateRegistries.Count > 0) ? Network : Jobs.JobNetwork.None;
}
