using System.Buffers.Binary;

namespace CodyBatch.Aws.Tests.Bedrock;

/// <summary>
/// The AWS event stream binary encoding (application/vnd.amazon.eventstream) as AWS documents it: each message is a
/// prelude (total length, headers length, both big-endian 32-bit, and the CRC32 of those 8 bytes), the headers (name
/// length byte, name, value type 7 = string, 16-bit value length, value), the payload, and the CRC32 of all before it.
/// </summary>
public static class EventStream
{
    private const byte StringType = 7;
    private static readonly uint[] Table = BuildTable();

    public static byte[] Message(IReadOnlyList<(string Name, string Value)> headers, byte[] payload)
    {
        using var headerBytes = new MemoryStream();
        var length = new byte[2];
        foreach (var (name, value) in headers)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            var valueBytes = Encoding.UTF8.GetBytes(value);
            headerBytes.WriteByte((byte)nameBytes.Length);
            headerBytes.Write(nameBytes);
            headerBytes.WriteByte(StringType);
            BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)valueBytes.Length);
            headerBytes.Write(length);
            headerBytes.Write(valueBytes);
        }

        var headersLength = (int)headerBytes.Length;
        var total = 12 + headersLength + payload.Length + 4;
        var message = new byte[total];
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(0), (uint)total);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), (uint)headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(8), Crc32(message.AsSpan(0, 8)));
        headerBytes.ToArray().CopyTo(message, 12);
        payload.CopyTo(message, 12 + headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(total - 4), Crc32(message.AsSpan(0, total - 4)));
        return message;
    }

    /// <summary>A Bedrock response chunk: the model's event JSON, base64 in <c>bytes</c>.</summary>
    public static byte[] Chunk(string eventJson) => Message(
        [(":event-type", "chunk"), (":content-type", "application/json"), (":message-type", "event")],
        Encoding.UTF8.GetBytes($$"""{"bytes":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(eventJson))}}"}"""));

    /// <summary>Reads messages back (the test's own check of the framing): headers and payload, CRCs verified.</summary>
    public static List<(Dictionary<string, string> Headers, byte[] Payload)> Read(byte[] stream)
    {
        var messages = new List<(Dictionary<string, string>, byte[])>();
        for (var offset = 0; offset < stream.Length;)
        {
            var span = stream.AsSpan(offset);
            var total = (int)BinaryPrimitives.ReadUInt32BigEndian(span);
            var headersLength = (int)BinaryPrimitives.ReadUInt32BigEndian(span[4..]);
            if (BinaryPrimitives.ReadUInt32BigEndian(span[8..]) != Crc32(span[..8]) || BinaryPrimitives.ReadUInt32BigEndian(span[(total - 4)..]) != Crc32(span[..(total - 4)]))
            {
                throw new InvalidDataException("CRC mismatch");
            }

            var headers = new Dictionary<string, string>();
            for (var h = 12; h < 12 + headersLength;)
            {
                var nameLength = span[h];
                var name = Encoding.UTF8.GetString(span.Slice(h + 1, nameLength));
                var valueLength = BinaryPrimitives.ReadUInt16BigEndian(span[(h + 2 + nameLength)..]);
                headers[name] = Encoding.UTF8.GetString(span.Slice(h + 4 + nameLength, valueLength));
                h += 4 + nameLength + valueLength;
            }

            messages.Add((headers, span.Slice(12 + headersLength, total - 16 - headersLength).ToArray()));
            offset += total;
        }

        return messages;
    }

    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
