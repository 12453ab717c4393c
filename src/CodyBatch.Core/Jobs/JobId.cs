using System.Security.Cryptography;

namespace CodyBatch.Core.Jobs;

/// <summary>
/// Job identifiers: 48 bits of milliseconds since the Unix epoch, a 40-bit sequence this process
/// counts up with every id, then 40 random bits, in lower-case Crockford base32 (26 characters).
/// Ids sort by creation time as text, and two ids made in the same millisecond sort in the order
/// they were made, so every store that breaks ties by id lists and claims jobs strictly oldest first.
/// </summary>
public static class JobId
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    // Starts at a random point in the lower half of its 40 bits, so that it never wraps in a
    // process's life and two processes rarely count in step.
    private static long _sequence = RandomNumberGenerator.GetInt32(int.MaxValue) * 256L;

    /// <summary>Length of every id.</summary>
    public const int Length = 26;

    /// <summary>A new id for a job created at <paramref name="now"/>; later than every id this process made before at the same millisecond.</summary>
    public static string New(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = (ulong)now.ToUnixTimeMilliseconds();
        var sequence = (ulong)Interlocked.Increment(ref _sequence);
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(ms >> (8 * (5 - i)));
        }

        for (var i = 0; i < 5; i++)
        {
            bytes[6 + i] = (byte)(sequence >> (8 * (4 - i)));
        }

        RandomNumberGenerator.Fill(bytes[11..]);
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
