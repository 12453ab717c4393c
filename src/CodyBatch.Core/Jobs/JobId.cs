using System.Security.Cryptography;

namespace CodyBatch.Core.Jobs;

/// <summary>
/// Job identifiers: 48 bits of milliseconds since the Unix epoch then 80 random bits,
/// in lower-case Crockford base32 (26 characters), so ids sort by creation time as text.
/// </summary>
public static class JobId
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    /// <summary>Length of every id.</summary>
    public const int Length = 26;

    /// <summary>A new id for a job created at <paramref name="now"/>.</summary>
    public static string New(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = (ulong)now.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(ms >> (8 * (5 - i)));
        }

        RandomNumberGenerator.Fill(bytes[6..]);
        return Encode(bytes);
    }

    /// <summary>True when <paramref name="value"/> has the shape of a job id.</summary>
    public static bool IsValid(string? value) =>
        value is { Length: Length } && value[0] <= '7' && value.All(c => Alphabet.Contains(c, StringComparison.Ordinal));

    /// <summary>The creation time an id carries (millisecond precision); null when it is not an id.</summary>
    public static DateTimeOffset? TimeOf(string? value)
    {
        if (!IsValid(value))
        {
            return null;
        }

        UInt128 number = 0;
        foreach (var c in value!)
        {
            number = (number << 5) | (uint)Alphabet.IndexOf(c, StringComparison.Ordinal);
        }

        return DateTimeOffset.FromUnixTimeMilliseconds((long)(ulong)(number >> 80));
    }

    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        // 128 bits as 26 base32 digits: the first digit carries the top 3 bits.
        var hi = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
        var lo = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        var value = ((UInt128)hi << 64) | lo;
        Span<char> chars = stackalloc char[Length];
        for (var i = Length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }
}
