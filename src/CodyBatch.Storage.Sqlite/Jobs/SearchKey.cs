namespace CodyBatch.Storage.Sqlite.Jobs;

/// <summary>
/// The integer key of a job's row in the search index: the first 63 bits of its id (48 bits of creation time, then
/// random bits), so keys sort as ids do and a search can read the index newest first and stop at a page. Two jobs of
/// the same millisecond may share the first 63 bits (about one pair in 32,768); the second then takes the next free key.
/// </summary>
internal static class SearchKey
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    /// <summary>The key of <paramref name="jobId"/>: its first 13 base32 digits (3 + 60 bits) as a number.</summary>
    public static long Of(string jobId)
    {
        long key = 0;
        for (var i = 0; i < 13; i++)
        {
            var digit = i < jobId.Length ? Alphabet.IndexOf(char.ToLowerInvariant(jobId[i]), StringComparison.Ordinal) : 0;
            key = (key << (i == 0 ? 3 : 5)) | (long)Math.Clamp(digit, 0, i == 0 ? 7 : 31);
        }

        return key;
    }
}
