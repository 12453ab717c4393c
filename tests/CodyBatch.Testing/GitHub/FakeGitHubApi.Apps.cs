namespace CodyBatch.Testing.GitHub;

/// <summary>
/// Who may call the fake GitHub: the personal token (with <c>X-OAuth-Scopes</c> when it is a classic
/// one), or a GitHub App. App endpoints take only a JWT, checked as GitHub documents it: RS256,
/// signed by the registered app's key, <c>iss</c> the app, <c>iat</c> in the past, <c>exp</c> in the
/// future and at most 10 minutes ahead. The app's installations (one per account) hand out
/// installation tokens that expire after an hour, and each token works only on its account's
/// repositories. Anything else is answered as GitHub would (401, 404) and recorded as a problem.
/// </summary>
public sealed partial class FakeGitHubApi
{
    private readonly ConcurrentDictionary<string, (long Id, Dictionary<string, string> Permissions, HashSet<string>? Selected, bool Suspended)> _installations = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, (long Installation, string Account, DateTimeOffset ExpiresAt)> _installationTokens = new(StringComparer.Ordinal);
    private readonly Recorded<JsonObject> _jwtClaims = new();
    private (string Id, string Slug, RSA Key)? _githubApp;

    /// <summary>How long an installation token lives (GitHub: one hour).</summary>
    public TimeSpan InstallationTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The claims of every JWT the fake accepted, in order.</summary>
    public IReadOnlyList<JsonObject> JwtClaims => _jwtClaims.Snapshot();

    /// <summary>Installation tokens handed out, in order, with when they expire.</summary>
    public IReadOnlyList<(string Token, DateTimeOffset ExpiresAt)> InstallationTokens =>
        [.. _installationTokens.OrderBy(t => t.Value.ExpiresAt).Select(t => (t.Key, t.Value.ExpiresAt))];

    /// <summary>Registers the GitHub App: JWTs must name <paramref name="appId"/> and verify with <paramref name="publicKey"/>.</summary>
    public void RegisterApp(string appId, RSA publicKey, string slug = "codybatch") => _githubApp = (appId, slug, publicKey);

    /// <summary>
    /// Installs the app on <paramref name="account"/> with these permissions (default: contents, pull requests and issues
    /// write), on all its repositories or only the <paramref name="selected"/> names; a suspended installation is listed
    /// with its <c>suspended_at</c> and hands out no token (403).
    /// </summary>
    public void Install(string account, long installationId, Dictionary<string, string>? permissions = null, IEnumerable<string>? selected = null, bool suspended = false) =>
        _installations[account] = (
            installationId,
            permissions ?? new() { ["contents"] = "write", ["pull_requests"] = "write", ["issues"] = "write", ["metadata"] = "read" },
            selected is null ? null : new HashSet<string>(selected, StringComparer.OrdinalIgnoreCase),
            suspended);

    // Whether the installation on the repository's owner covers it (all repositories, or the selected ones).
    private bool Covers(string account, string repository) =>
        _installations.TryGetValue(account, out var installation) && (installation.Selected is null || installation.Selected.Contains(repository));

    private string LoginOf(HttpContext context) => context.Items["login"] as string ?? AccountLogin;

    // True when the request may go on to the routes; otherwise it has been answered.
    private async Task<bool> AuthenticateAsync(HttpContext context, FakeGitHubRequest request)
    {
        var segments = request.Path.Trim('/').Split('/');
        var credentials = request.Authorization.Split(' ', 2);
        var scheme = credentials[0];
        var credential = credentials.Length == 2 ? credentials[1] : "";
        var bearer = scheme.Equals("token", StringComparison.OrdinalIgnoreCase) || scheme.Equals("bearer", StringComparison.OrdinalIgnoreCase);
        if (segments is ["app", ..] or ["repos", _, _, "installation"] or ["orgs", _, "installation"] or ["users", _, "installation"])
        {
            await AppEndpointAsync(context, request, segments, bearer ? credential : "");
            return false;
        }

        if (bearer && credential == Token)
        {
            context.Items["login"] = AccountLogin;
            if (TokenScopes is not null)
            {
                context.Response.Headers["X-OAuth-Scopes"] = TokenScopes;
            }

            return true;
        }

        if (bearer && _installationTokens.TryGetValue(credential, out var issued))
        {
            if (issued.ExpiresAt <= Clock.GetUtcNow())
            {
                Problem($"{request.Method} {request.Path} with an installation token that expired at {issued.ExpiresAt:HH:mm:ss}");
                await JsonAsync(context, 401, new JsonObject { ["message"] = "Bad credentials", ["documentation_url"] = "https://docs.github.com/rest" });
                return false;
            }

            if (segments is ["repos", var owner, var name, ..] && (!owner.Equals(issued.Account, StringComparison.OrdinalIgnoreCase) || !Covers(owner, name)))
            {
                Problem($"{request.Method} {request.Path} with the installation token of {issued.Account}");
                await NotFoundAsync(context);
                return false;
            }

            context.Items["login"] = $"{_githubApp!.Value.Slug}[bot]";
            context.Items["account"] = issued.Account;
            return true;
        }

        Problem($"{request.Method} {request.Path} without the token (Authorization: {(credential.Count(c => c == '.') == 2 ? "a JWT" : scheme)})");
        await JsonAsync(context, 401, new JsonObject { ["message"] = "Bad credentials", ["documentation_url"] = "https://docs.github.com/rest" });
        return false;
    }

    private async Task AppEndpointAsync(HttpContext context, FakeGitHubRequest request, string[] segments, string jwt)
    {
        if (_githubApp is not { } app)
        {
            Problem($"{request.Method} {request.Path}: an App endpoint, but no App is registered");
            await NotFoundAsync(context);
            return;
        }

        if (VerifyJwt(jwt, app) is { } refusal)
        {
            Problem($"{request.Method} {request.Path}: {refusal}");
            await JsonAsync(context, 401, new JsonObject { ["message"] = refusal, ["documentation_url"] = "https://docs.github.com/rest" });
            return;
        }

        switch (request.Method, segments)
        {
            case ("GET", ["repos", _, _, "installation"] or ["orgs" or "users", _, "installation"]):
                var owner = segments[1];
                if ((segments[0] != "repos" || (_repositories.ContainsKey($"{owner}/{segments[2]}") && Covers(owner, segments[2]))) && _installations.TryGetValue(owner, out var installation))
                {
                    await JsonAsync(context, 200, new JsonObject
                    {
                        ["id"] = installation.Id,
                        ["account"] = new JsonObject { ["login"] = owner },
                        ["app_id"] = app.Id,
                        ["app_slug"] = app.Slug,
                        ["repository_selection"] = installation.Selected is null ? "all" : "selected",
                        ["permissions"] = Permissions(installation.Permissions),
                    });
                    return;
                }

                await NotFoundAsync(context);
                return;
            case ("GET", ["app", "installations"]):
                await ListInstallationsAsync(context, app);
                return;
            case ("POST", ["app", "installations", var id, "access_tokens"]):
                var account = _installations.FirstOrDefault(i => i.Value.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == id);
                if (account.Key is null)
                {
                    await NotFoundAsync(context);
                    return;
                }

                if (account.Value.Suspended)
                {
                    Problem($"{request.Method} {request.Path}: a token for a suspended installation");
                    await JsonAsync(context, 403, new JsonObject { ["message"] = "This installation has been suspended", ["documentation_url"] = "https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app" });
                    return;
                }

                var token = "ghs_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(18)).ToLowerInvariant();
                var expires = DateTimeOffset.FromUnixTimeSeconds((Clock.GetUtcNow() + InstallationTokenLifetime).ToUnixTimeSeconds());
                _installationTokens[token] = (account.Value.Id, account.Key, expires);
                await JsonAsync(context, 201, new JsonObject
                {
                    ["token"] = token,
                    ["expires_at"] = expires.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                    ["permissions"] = Permissions(account.Value.Permissions),
                    ["repository_selection"] = account.Value.Selected is null ? "all" : "selected",
                });
                return;
            default:
                if (segments is ["repos", ..])
                {
                    await NotFoundAsync(context);
                    return;
                }

                Problem($"unexpected {request.Method} {request.Path}");
                await NotFoundAsync(context);
                return;
        }
    }

    // GitHub's checks of an App's JWT; null when it passes.
    private string? VerifyJwt(string jwt, (string Id, string Slug, RSA Key) app)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return "A JSON web token could not be decoded";
        }

        JsonObject header, claims;
        try
        {
            header = JsonNode.Parse(Base64Url(parts[0]))!.AsObject();
            claims = JsonNode.Parse(Base64Url(parts[1]))!.AsObject();
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return "A JSON web token could not be decoded";
        }

        if (header["alg"]?.GetValue<string>() != "RS256")
        {
            return "A JSON web token could not be decoded (alg must be RS256)";
        }

        if (!app.Key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return "A JSON web token could not be decoded (the signature does not verify with the app's public key)";
        }

        if (claims["iss"]?.ToString() != app.Id)
        {
            return $"'Issuer' claim ('iss') must be the app's client ID or app ID, not {claims["iss"]?.ToJsonString() ?? "missing"}";
        }

        var now = Clock.GetUtcNow().ToUnixTimeSeconds();
        if (claims["iat"]?.GetValueKind() != System.Text.Json.JsonValueKind.Number || claims["iat"]!.GetValue<long>() > now)
        {
            return "'Issued at' claim ('iat') must be an Integer representing a time in the past";
        }

        if (claims["exp"]?.GetValueKind() != System.Text.Json.JsonValueKind.Number || claims["exp"]!.GetValue<long>() <= now)
        {
            return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
        }

        if (claims["exp"]!.GetValue<long>() > now + 600)
        {
            return "'Expiration time' claim ('exp') is too far in the future";
        }

        _jwtClaims.Add(claims);
        return null;
    }

    private static JsonObject Permissions(Dictionary<string, string> permissions) =>
        new(permissions.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }
}
