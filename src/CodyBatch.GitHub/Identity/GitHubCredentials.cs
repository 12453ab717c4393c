using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CodyBatch.Core.Runs;
using CodyBatch.GitHub.Api;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CodyBatch.GitHub.Identity;

/// <summary>
/// Who Cody Batch is on GitHub, per request: the personal token <c>GITHUB_TOKEN</c>, or — with
/// <c>CodyBatch:GitHub:AppId</c> — a GitHub App, whose JWT (signed with the private key from the
/// environment) is exchanged for an installation token per repository owner. Installation tokens
/// are cached and renewed <see cref="GitHubOptions.TokenRenewalMargin"/> before they expire. It also
/// remembers what each classic token's <c>X-OAuth-Scopes</c> header says, for the workflow check.
/// </summary>
public sealed class GitHubCredentials : IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly IOptions<GitHubOptions> _options;
    private readonly TimeProvider _time;
    private readonly Lazy<HttpClient> _appHttp;
    private readonly ConcurrentDictionary<string, long> _installations = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<long, InstallationToken> _tokens = new();
    private readonly ConcurrentDictionary<string, string[]> _scopes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _exchange = new(1, 1);
    private RSA? _key;

    /// <summary>Credentials from configuration; nothing is read or checked until the first request.</summary>
    public GitHubCredentials(IConfiguration configuration, IOptions<GitHubOptions> options, TimeProvider time)
    {
        _configuration = configuration;
        _options = options;
        _time = time;
        _appHttp = new Lazy<HttpClient>(() =>
        {
            var http = new HttpClient { BaseAddress = ApiRoot, Timeout = TimeSpan.FromSeconds(100) };
            http.DefaultRequestHeaders.UserAgent.ParseAdd("codybatch");
            http.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.github+json");
            http.DefaultRequestHeaders.Add("X-GitHub-Api-Version", "2022-11-28");
            return http;
        });
    }

    /// <summary>True when Cody Batch acts as a GitHub App.</summary>
    public bool UsesApp => !string.IsNullOrWhiteSpace(_options.Value.AppId);

    /// <summary>The API root: <c>GITHUB_API_URL</c>, or <c>https://api.github.com/</c>.</summary>
    public Uri ApiRoot
    {
        get
        {
            var configured = _configuration["GITHUB_API_URL"] is { Length: > 0 } url ? url : "https://api.github.com/";
            return new Uri(configured.EndsWith('/') ? configured : configured + "/");
        }
    }

    /// <summary>The private key's text as configured (a secret), or null.</summary>
    public string? PrivateKeyText => _configuration["CodyBatch:GitHub:PrivateKey"] is { Length: > 0 } key ? key : _configuration["GITHUB_APP_PRIVATE_KEY"];

    /// <summary>
    /// The token for a request about <paramref name="owner"/>'s repository <paramref name="repository"/>
    /// (null for requests about no repository). Throws <see cref="RunFailedException"/> with a sentence
    /// when there is none.
    /// </summary>
    public async ValueTask<string> TokenForAsync(string? owner, string? repository, CancellationToken cancellationToken)
    {
        if (!UsesApp)
        {
            var token = _configuration["GITHUB_TOKEN"];
            return string.IsNullOrWhiteSpace(token)
                ? throw new RunFailedException("GITHUB_TOKEN is not set, so GitHub repositories cannot be reached; set it to the service account's token.")
                : token;
        }

        if (owner is null)
        {
            throw new RunFailedException("A GitHub App (CodyBatch:GitHub:AppId) acts only within the accounts it is installed on; this request names no repository, so type repositories as owner/name.");
        }

        return (await InstallationTokenAsync(owner, repository, cancellationToken)).Token;
    }

    /// <summary>
    /// Every account the App is installed on (<c>GET /app/installations</c> with the App's JWT, every page), suspended
    /// installations left out; each is remembered, so the installation's token is asked for without looking it up again.
    /// </summary>
    public async Task<IReadOnlyList<AppInstallation>> ListInstallationsAsync(CancellationToken cancellationToken)
    {
        var installations = new List<AppInstallation>();
        for (Uri? page = new("app/installations?per_page=100", UriKind.Relative); page is not null;)
        {
            using var response = await SendAsJwtAsync(HttpMethod.Get, page, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new RunFailedException($"GitHub refused to list the App's installations ({(int)response.StatusCode}: {await MessageAsync(response, cancellationToken)}); check CodyBatch:GitHub:AppId and the private key.");
            }

            foreach (var item in JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsArray())
            {
                if (item?["suspended_at"] is JsonValue || item?["account"]?["login"]?.GetValue<string>() is not { } login)
                {
                    continue;
                }

                var installation = new AppInstallation(
                    item["id"]!.GetValue<long>(),
                    login,
                    item["permissions"]?.AsObject().ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "") ?? []);
                _installations[login] = installation.Id;
                installations.Add(installation);
            }

            // Pages are followed only on the API's own host: the JWT goes nowhere else.
            page = LinkHeader.Next(response.Headers) is { } next && next.Host == ApiRoot.Host && next.Port == ApiRoot.Port && next.Scheme == ApiRoot.Scheme ? next : null;
        }

        return installations;
    }

    /// <summary>Remembers the scopes GitHub reported for <paramref name="token"/> (classic tokens send <c>X-OAuth-Scopes</c>).</summary>
    public void Observe(string token, HttpResponseHeaders headers)
    {
        if (headers.TryGetValues("X-OAuth-Scopes", out var values))
        {
            _scopes[token] = [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
        }
    }

    /// <summary>
    /// Whether the account may change files under <c>.github/workflows/</c> in <paramref name="owner"/>'s
    /// repositories: the <c>workflow</c> scope of a classic token, the <c>workflows: write</c>
    /// permission of an App's installation; null when GitHub does not say (a fine-grained token).
    /// The second value names what the account has, for the sentence.
    /// </summary>
    public async ValueTask<(bool? Allowed, string Has)> CanChangeWorkflowsAsync(string owner, string repository, CancellationToken cancellationToken)
    {
        if (UsesApp)
        {
            var token = await InstallationTokenAsync(owner, repository, cancellationToken);
            var has = token.Permissions.TryGetValue("workflows", out var level) ? level : "none";
            return (has == "write", $"the App's installation has workflows: {has}");
        }

        var personal = await TokenForAsync(owner, repository, cancellationToken);
        return _scopes.TryGetValue(personal, out var scopes)
            ? (scopes.Any(s => s is "workflow"), $"GITHUB_TOKEN has the scopes: {(scopes.Length == 0 ? "none" : string.Join(", ", scopes))}")
            : (null, "");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_appHttp.IsValueCreated)
        {
            _appHttp.Value.Dispose();
        }

        _key?.Dispose();
        _exchange.Dispose();
    }

    private async Task<InstallationToken> InstallationTokenAsync(string owner, string? repository, CancellationToken cancellationToken)
    {
        if (_installations.TryGetValue(owner, out var known) && Fresh(known) is { } cached)
        {
            return cached;
        }

        await _exchange.WaitAsync(cancellationToken);
        try
        {
            if (!_installations.TryGetValue(owner, out var installation))
            {
                installation = await FindInstallationAsync(owner, repository, cancellationToken);
                _installations[owner] = installation;
            }

            if (Fresh(installation) is { } fresh)
            {
                return fresh;
            }

            using var response = await SendAsJwtAsync(HttpMethod.Post, $"app/installations/{installation}/access_tokens", cancellationToken);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new RunFailedException($"GitHub did not hand out a token for the App's installation on {owner} ({(int)response.StatusCode}: {await MessageAsync(response, cancellationToken)}).");
            }

            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
            var token = new InstallationToken(
                json["token"]!.GetValue<string>(),
                DateTimeOffset.Parse(json["expires_at"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                json["permissions"]?.AsObject().ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "") ?? []);
            _tokens[installation] = token;
            return token;
        }
        finally
        {
            _exchange.Release();
        }
    }

    private InstallationToken? Fresh(long installation) =>
        _tokens.TryGetValue(installation, out var token) && token.ExpiresAt - _time.GetUtcNow() > _options.Value.TokenRenewalMargin ? token : null;

    // The installation of the account that owns a repository: through the repository when it is known,
    // otherwise as an organization, then as a user.
    private async Task<long> FindInstallationAsync(string owner, string? repository, CancellationToken cancellationToken)
    {
        string[] paths = repository is not null
            ? [$"repos/{Uri.EscapeDataString(owner)}/{Uri.EscapeDataString(repository)}/installation"]
            : [$"orgs/{Uri.EscapeDataString(owner)}/installation", $"users/{Uri.EscapeDataString(owner)}/installation"];
        foreach (var path in paths)
        {
            using var response = await SendAsJwtAsync(HttpMethod.Get, path, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new RunFailedException($"GitHub refused the App's request for its installation on {owner} ({(int)response.StatusCode}: {await MessageAsync(response, cancellationToken)}); check CodyBatch:GitHub:AppId and the private key.");
            }

            return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!["id"]!.GetValue<long>();
        }

        throw new RunFailedException($"The GitHub App (CodyBatch:GitHub:AppId) is not installed on {owner}; install it there, with access to the repository.");
    }

    private Task<HttpResponseMessage> SendAsJwtAsync(HttpMethod method, string path, CancellationToken cancellationToken) =>
        SendAsJwtAsync(method, new Uri(path, UriKind.Relative), cancellationToken);

    private async Task<HttpResponseMessage> SendAsJwtAsync(HttpMethod method, Uri path, CancellationToken cancellationToken)
    {
        var jwt = AppJwt.Create(_options.Value.AppId!, Key(), _time.GetUtcNow());
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
        return await _appHttp.Value.SendAsync(request, cancellationToken);
    }

    private RSA Key()
    {
        if (_key is not null)
        {
            return _key;
        }

        var pem = PrivateKeyText;
        if (string.IsNullOrWhiteSpace(pem))
        {
            throw new RunFailedException("CodyBatch:GitHub:AppId is set but the App's private key is not; set CodyBatch__GitHub__PrivateKey (or GITHUB_APP_PRIVATE_KEY) in the environment to its PEM text.");
        }

        try
        {
            return _key = AppJwt.ReadKey(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new RunFailedException("The GitHub App's private key is not a PEM RSA private key; set it to the .pem file's text GitHub generated.");
        }
    }

    private static async Task<string> MessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonNode.Parse(body)?["message"]?.GetValue<string>() ?? body;
        }
        catch (System.Text.Json.JsonException)
        {
            return body;
        }
    }
}
