using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;

namespace CodyBatch.Aws.Tests.Bedrock;

/// <summary>
/// Checks an AWS Signature Version 4 the way AWS documents it: the canonical request (method, path, sorted query, the
/// signed headers, the payload's SHA-256), the string to sign over the credential scope, and the HMAC chain from the
/// secret key; the date within 15 minutes. Returns the error type and message AWS would answer, or null when it verifies.
/// </summary>
internal static class SigV4
{
    public static (string Type, string Message)? Problem(
        HttpContext context, byte[] body, string region, string service, IReadOnlyDictionary<string, string> secrets, DateTimeOffset now)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        const string Algorithm = "AWS4-HMAC-SHA256 ";
        if (!authorization.StartsWith(Algorithm, StringComparison.Ordinal))
        {
            return ("MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        var fields = authorization[Algorithm.Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(f => f.Split('=', 2))
            .Where(f => f.Length == 2)
            .ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("Credential", out var credential) || !fields.TryGetValue("SignedHeaders", out var signedHeaders) || !fields.TryGetValue("Signature", out var signature))
        {
            return ("IncompleteSignatureException", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'.");
        }

        var scope = credential.Split('/');
        if (scope.Length != 5 || !secrets.TryGetValue(scope[0], out var secret))
        {
            return ("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        var amzDate = context.Request.Headers["X-Amz-Date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt)
            || scope[1] != amzDate[..8] || scope[2] != region || scope[3] != service || scope[4] != "aws4_request")
        {
            return ("InvalidSignatureException", $"Credential should be scoped to a valid region and service ({region}/{service}), with the request's date.");
        }

        if ((now - signedAt).Duration() > TimeSpan.FromMinutes(15))
        {
            return ("InvalidSignatureException", "Signature expired: the request's X-Amz-Date is more than 15 minutes from the server's time.");
        }

        var names = signedHeaders.Split(';');
        if (!names.Contains("host") || !names.Contains("x-amz-date"))
        {
            return ("InvalidSignatureException", "The signed headers must include host and x-amz-date.");
        }

        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var path = raw.Split('?', 2)[0];
        var query = raw.Contains('?', StringComparison.Ordinal) ? raw.Split('?', 2)[1] : "";
        var canonicalQuery = string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: Uri.EscapeDataString(Uri.UnescapeDataString(p[0])), Value: Uri.EscapeDataString(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));
        var canonicalPath = string.Join('/', path.Split('/').Select(segment => Uri.EscapeDataString(segment)));
        var canonicalHeaders = string.Concat(names.Select(n =>
            $"{n}:{string.Join(' ', (n == "host" ? context.Request.Host.Value ?? "" : context.Request.Headers[n].ToString()).Split(' ', StringSplitOptions.RemoveEmptyEntries))}\n"));
        var payloadHash = context.Request.Headers["x-amz-content-sha256"].ToString() is { Length: > 0 } declared ? declared : Hex(SHA256.HashData(body));
        var canonicalRequest = $"{context.Request.Method}\n{canonicalPath}\n{canonicalQuery}\n{canonicalHeaders}\n{signedHeaders}\n{payloadHash}";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{string.Join('/', scope[1..])}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (var part in scope[1..])
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        var expected = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? null
            : ("InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
