using System.Net;

namespace CodyBatch.Core.Admission;

/// <summary>
/// Who is asking, as far as limits and authorship care: a stable id that never contains a secret.
/// An API key becomes <c>key:</c> and a prefix of its SHA-256 digest; named keys can bring their own id
/// the same way. Without keys a caller is its client address.
/// </summary>
/// <param name="Id">The stable id (at most 100 characters, no secret in it).</param>
public sealed record Caller(string Id)
{
    /// <summary>Callers whose identity is not known (schedules created before authors were recorded).</summary>
    public static Caller Unattributed { get; } = new("unattributed");

    /// <summary>The command line on this machine.</summary>
    public static Caller Local { get; } = new("local");

    /// <summary>The caller for an API key, from the SHA-256 digest of the key's text (never the text itself).</summary>
    public static Caller ForKeyDigest(ReadOnlySpan<byte> sha256) => new("key:" + Convert.ToHexStringLower(sha256)[..24]);

    /// <summary>The caller for a client address, when the server has no API keys.</summary>
    public static Caller ForAddress(IPAddress? address) => new("address:" + (address?.ToString() ?? "unknown"));

    /// <summary>The stored author id as a caller; <see cref="Unattributed"/> when none was stored.</summary>
    public static Caller FromStored(string? id) => string.IsNullOrEmpty(id) ? Unattributed : new Caller(id);
}
