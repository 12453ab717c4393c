using System.Security.Cryptography;
using System.Text;
using CodyBatch.Core.Configuration;
using CodyBatch.Core.Jobs;
using Microsoft.Extensions.Options;

namespace CodyBatch.Core.Access;

/// <summary>
/// Named API keys: create (the text shown once), list, revoke, and authenticate a presented key.
/// The keys of <c>CodyBatch:ApiKeys</c> keep working as admin keys. Every presented key is
/// compared with the configured ones in constant time; a stored key is found by its SHA-256
/// digest (an index lookup: timing can reveal at most a digest's prefix, which does not help
/// anyone find a 256-bit key) and the digest is compared again in constant time.
/// </summary>
public sealed class ApiKeyService(IApiKeyStore store, IOptions<CodyBatchOptions> options, TimeProvider time)
{
    /// <summary>What every key's text starts with.</summary>
    public const string TextPrefix = "cb_";

    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private readonly byte[][] _configured = [.. options.Value.ApiKeys
        .Where(k => !string.IsNullOrWhiteSpace(k))
        .Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k.Trim())))];

    private volatile bool _anyStoredKey;

    /// <summary>The lower-case hex SHA-256 of a key's text.</summary>
    public static string HashOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.Trim())));

    /// <summary>
    /// Whether requests need a key: when <c>CodyBatch:ApiKeys</c> is set or any named key exists. Once a key
    /// exists it stays so (revoking every key does not open the server).
    /// </summary>
    public async Task<bool> IsRequiredAsync(CancellationToken cancellationToken)
    {
        if (_configured.Length > 0 || _anyStoredKey)
        {
            return true;
        }

        _anyStoredKey = (await store.ListAsync(cancellationToken)).Count > 0;
        return _anyStoredKey;
    }

    /// <summary>Who <paramref name="presented"/> belongs to, or why it opens nothing. Expiry and revocation count at once.</summary>
    public async Task<Authentication> AuthenticateAsync(string presented, CancellationToken cancellationToken)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented.Trim()));
        var configured = -1;
        for (var i = 0; i < _configured.Length; i++)
        {
            // No early exit: every configured key is compared whatever matched before.
            if (CryptographicOperations.FixedTimeEquals(digest, _configured[i]))
            {
                configured = i;
            }
        }

        if (configured >= 0)
        {
            return new Authentication(Caller.Configured(configured), null);
        }

        var key = await store.FindByHashAsync(Convert.ToHexStringLower(digest), cancellationToken);
        if (key is null || !CryptographicOperations.FixedTimeEquals(digest, Convert.FromHexString(key.Hash)))
        {
            return new Authentication(null, "Send an API key of this server as 'Authorization: Bearer <key>'.");
        }

        var now = time.GetUtcNow();
        if (key.RevokedAt is { } revoked)
        {
            return new Authentication(null, $"This API key ({key.Name}) was revoked at {revoked:u}; ask an admin for a new one.");
        }

        if (key.ExpiresAt is { } expires && expires <= now)
        {
            return new Authentication(null, $"This API key ({key.Name}) expired at {expires:u}; ask an admin for a new one.");
        }

        if (key.LastUsedAt is not { } last || now - last >= LastUsedResolution)
        {
            // A lost race means another request recorded a use just now; that is as good.
            await store.TryUpdateAsync(key with { LastUsedAt = now }, cancellationToken);
        }

        return new Authentication(new Caller(key.Name, key.Role, key.Id), null);
    }

    /// <summary>Creates a key; its text is in the answer and nowhere else.</summary>
    public async Task<CreatedApiKey> CreateAsync(NewApiKey request, Caller author, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '.' or '-' or '_' or '@'))
        {
            errors["name"] = ["name must be 1–64 letters, digits, spaces, dots, dashes, underscores or @."];
        }
        else if ((await store.ListAsync(cancellationToken)).Any(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            errors["name"] = [$"A key named \"{name}\" exists already (names stay taken after a revocation, so the audit log stays unambiguous); pick another name."];
        }

        Role role = default;
        if (!TryParseRole(request.Role, out role))
        {
            errors["role"] = ["role must be viewer, operator or admin."];
        }

        if (request.ExpiresAt is { } expires && expires <= now)
        {
            errors["expiresAt"] = [$"expiresAt must be in the future (it is {now:u} now)."];
        }

        if (request.MonthlyCapUsd is < 0 or > 1_000_000)
        {
            errors["monthlyCapUsd"] = ["monthlyCapUsd must be between 0 and 1,000,000 US dollars."];
        }

        if (errors.Count > 0)
        {
            return new CreatedApiKey(null, null, errors);
        }

        var secret = TextPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var key = new ApiKey
        {
            Id = "key-" + JobId.New(now),
            Name = name,
            Role = role,
            Hash = HashOf(secret),
            Prefix = secret[..7],
            CreatedAt = now,
            CreatedBy = author.Name,
            ExpiresAt = request.ExpiresAt,
            MonthlyCapUsd = request.MonthlyCapUsd,
        };
        await store.CreateAsync(key, cancellationToken);
        _anyStoredKey = true;
        return new CreatedApiKey(key, secret, errors);
    }

    /// <summary>Every key, oldest first.</summary>
    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <summary>The key by id, or null.</summary>
    public Task<ApiKey?> GetAsync(string id, CancellationToken cancellationToken) => store.GetAsync(id, cancellationToken);

    /// <summary>Revokes a key at once; null when there is no such key. Revoking twice keeps the first time.</summary>
    public async Task<ApiKey?> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var key = await store.GetAsync(id, cancellationToken);
            if (key is null || key.RevokedAt is not null)
            {
                return key;
            }

            if (await store.TryUpdateAsync(key with { RevokedAt = time.GetUtcNow() }, cancellationToken) is { } revoked)
            {
                return revoked;
            }
        }

        throw new InvalidOperationException($"Key {id} kept changing while it was being revoked; try again.");
    }

    /// <summary>Parses viewer, operator or admin (any case).</summary>
    public static bool TryParseRole(string? text, out Role role)
    {
        role = default;
        return Enum.GetNames<Role>().FirstOrDefault(n => n.Equals(text?.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name
            && Enum.TryParse(name, out role);
    }
}
