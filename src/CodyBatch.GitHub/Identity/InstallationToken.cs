namespace CodyBatch.GitHub.Identity;

/// <summary>An installation access token with when it expires and what the installation may do.</summary>
/// <param name="Token">The token (a secret).</param>
/// <param name="ExpiresAt">When GitHub stops accepting it.</param>
/// <param name="Permissions">The installation's permissions, such as <c>contents: write</c> or <c>workflows: write</c>.</param>
public sealed record InstallationToken(string Token, DateTimeOffset ExpiresAt, IReadOnlyDictionary<string, string> Permissions);
