namespace CodyBatch.Aws.Caches;

/// <summary>A cache compressed past the size cap; it is not saved.</summary>
internal sealed class ArchiveTooLargeException(long maxBytes)
    : IOException($"The cache is larger than {maxBytes / (1024 * 1024)} MiB compressed (CodyBatch:Aws:Caches:MaxArchiveMb) and is not saved.");
