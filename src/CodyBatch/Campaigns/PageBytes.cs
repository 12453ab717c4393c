using System.Buffers;
using System.Security.Cryptography;

namespace CodyBatch.Campaigns;

/// <summary>
/// A kept answer's bytes in segments of <see cref="SegmentSize"/> bytes, written by a serializer as an
/// <see cref="IBufferWriter{T}"/>. A campaign page of 300 rows is about 150 KB: as one array it lands on the large
/// object heap, and a new page after every step of a running campaign made those arrays the server's main cause
/// of full (gen2) collections; segments below the large-object threshold are collected young.
/// </summary>
internal sealed class PageBytes : IBufferWriter<byte>
{
    /// <summary>Bytes a segment holds: below the runtime's large-object threshold (85,000 bytes).</summary>
    public const int SegmentSize = 32 * 1024;

    private readonly List<ReadOnlyMemory<byte>> _full = [];
    private long _fullLength;
    private byte[] _current = new byte[SegmentSize];
    private int _used;

    /// <summary>How many bytes were written.</summary>
    public long Length => _fullLength + _used;

    /// <summary>The bytes written, in order.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Segments => _full.Append(_current.AsMemory(0, _used));

    /// <inheritdoc />
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _current.Length - _used);
        _used += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _current.AsMemory(_used);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _current.AsSpan(_used);
    }

    /// <summary>The SHA-256 of the bytes written.</summary>
    public byte[] Sha256()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var segment in Segments)
        {
            hash.AppendData(segment.Span);
        }

        return hash.GetHashAndReset();
    }

    // A write that does not fit in what is left of the current segment starts a new one; a single write larger than a
    // segment (a long string) gets a segment of its own size.
    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_current.Length - _used >= needed)
        {
            return;
        }

        if (_used > 0)
        {
            _full.Add(_current.AsMemory(0, _used));
            _fullLength += _used;
        }

        _current = new byte[Math.Max(SegmentSize, needed)];
        _used = 0;
    }
}
