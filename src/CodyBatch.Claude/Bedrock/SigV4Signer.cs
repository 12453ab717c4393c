using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CodyBatch.Claude.Bedrock;

/// <summary>
/// AWS Signature Version 4 for a request without a body, as AWS documents it: the canonical request (method, the path
/// with each segment encoded again, the sorted query, the signed headers, the payload's SHA-256), the string to sign
/// over the credential scope, and the HMAC chain from the secret key. Used for the Bedrock control plane, whose
/// requests carry a query string (the runtime's are signed by the Anthropic.Bedrock package).
/// </summary>
internal static class SigV4Signer
{
    private const string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    public static void Sign(HttpRequestMessage request, string accessKey, string secret, string? sessionToken, string region, string service, DateTimeOffset now)
    {
        var uri = request.RequestUri!;
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = uri.IsDefaultPort ? uri.Host : uri.Authority,
            ["x-amz-content-sha256"] = EmptyHash,
            ["x-amz-date"] = amzDate,
        };
        if (!string.IsNullOrEmpty(sessionToken))
        {
            headers["x-amz-security-token"] = sessionToken;
        }

        var path = string.Join('/', uri.AbsolutePath.Split('/').Select(Uri.EscapeDataString));
        var query = string.Join('&', uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: Uri.EscapeDataString(Uri.UnescapeDataString(p[0])), Value: Uri.EscapeDataString(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));
        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = $"{request.Method.Method}\n{path}\n{query}\n{string.Concat(headers.Select(h => $"{h.Key}:{h.Value.Trim()}\n"))}\n{signedHeaders}\n{EmptyHash}";
        var scope = $"{amzDate[..8]}/{region}/{service}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (var part in new[] { amzDate[..8], region, service, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        foreach (var (name, value) in headers.Where(h => h.Key != "host"))
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)))}");
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
