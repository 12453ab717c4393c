using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CodyBatch.Core.Notifications;

/// <summary>
/// The signature on outgoing webhooks: header <c>X-CodyBatch-Signature: t=UNIX_SECONDS,v1=HEX</c>,
/// where HEX is the lower-case hex HMAC-SHA256, keyed with the signing secret (UTF-8), of
/// <c>UNIX_SECONDS + "." + body</c> (the raw body bytes). Receivers recompute it, compare in
/// constant time and refuse a timestamp older than a few minutes (replays).
/// </summary>
public static class NotificationSignature
{
    /// <summary>The header that carries the signature.</summary>
    public const string Header = "X-CodyBatch-Signature";

    /// <summary>The header value for <paramref name="body"/> sent at <paramref name="at"/>.</summary>
    public static string Sign(string secret, DateTimeOffset at, byte[] body)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={timestamp},v1={Compute(secret, timestamp, body)}";
    }

    /// <summary>True when <paramref name="header"/> is a valid signature of <paramref name="body"/> no older than <paramref name="tolerance"/>.</summary>
    public static bool Verify(string secret, string? header, byte[] body, DateTimeOffset now, TimeSpan tolerance)
    {
        var parts = (header ?? "").Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        if (!parts.TryGetValue("t", out var timestamp) || !parts.TryGetValue("v1", out var signature)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(secret, timestamp, body)), Encoding.ASCII.GetBytes(signature));
    }

    private static string Compute(string secret, string timestamp, byte[] body)
    {
        var signed = new byte[timestamp.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(timestamp + ".", signed);
        body.CopyTo(signed, timestamp.Length + 1);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
