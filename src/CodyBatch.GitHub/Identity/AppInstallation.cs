namespace CodyBatch.GitHub.Identity;

/// <summary>One account a GitHub App is installed on, as <c>GET /app/installations</c> lists it.</summary>
/// <param name="Id">The installation's id.</param>
/// <param name="Account">The account's login (a user or an organization).</param>
/// <param name="Permissions">What the installation may do, such as <c>contents: write</c>.</param>
public sealed record AppInstallation(long Id, string Account, IReadOnlyDictionary<string, string> Permissions)
{
    /// <summary>Whether the installation may push to its repositories (<c>contents: write</c>).</summary>
    public bool CanPush => Permissions.TryGetValue("contents", out var level) && level == "write";
}
