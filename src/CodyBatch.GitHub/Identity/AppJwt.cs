using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CodyBatch.GitHub.Identity;

/// <summary>
/// The JSON Web Token a GitHub App authenticates with, as GitHub documents it: RS256 over
/// <c>{"alg":"RS256","typ":"JWT"}</c> and claims <c>iat</c> (60 seconds in the past, against clock
/// drift), <c>exp</c> (9 minutes ahead; GitHub refuses more than 10) and <c>iss</c> (the app's
/// client ID or app ID).
/// </summary>
public static class AppJwt
{
    /// <summary>How far <c>iat</c> is set in the past.</summary>
    public static readonly TimeSpan Backdate = TimeSpan.FromSeconds(60);

    /// <summary>How far ahead <c>exp</c> is set.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(9);

    /// <summary>A token for <paramref name="appId"/> signed with <paramref name="key"/>, issued at <paramref name="now"/>.</summary>
    public static string Create(string appId, RSA key, DateTimeOffset now)
    {
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT" }));
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(new
        {
            iat = (now - Backdate).ToUnixTimeSeconds(),
            exp = (now + Lifetime).ToUnixTimeSeconds(),
            iss = appId,
        }));
        var signed = $"{header}.{payload}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Encode(signature)}";
    }

    /// <summary>Reads a PEM private key (PKCS#1 or PKCS#8), also when its line breaks were written as <c>\n</c>.</summary>
    public static RSA ReadKey(string pem)
    {
        var key = RSA.Create();
        key.ImportFromPem(pem.Replace("\\n", "\n", StringComparison.Ordinal).Trim());
        return key;
    }

    /// <summary>Base64url without padding.</summary>
    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
