namespace CodyBatch.Testing.Telemetry;

/// <summary>
/// Reads the protobuf wire format (varint, 64-bit, length-delimited and 32-bit fields) one field at a time, as the
/// encoding's documentation describes it. Enough to decode OTLP's messages without generated classes; a truncated
/// or malformed message throws <see cref="FormatException"/>.
/// </summary>
public ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _at;

    /// <summary>The current field's number.</summary>
    public int Field { get; private set; }

    /// <summary>The current field's wire type (0 varint, 1 64-bit, 2 length-delimited, 5 32-bit).</summary>
    public int WireType { get; private set; }

    /// <summary>Moves to the next field; false at the end of the message.</summary>
    public bool Next()
    {
        if (_at >= _data.Length)
        {
            return false;
        }

        var key = ReadVarint();
        Field = (int)(key >> 3);
        WireType = (int)(key & 7);
        if (Field == 0)
        {
            throw new FormatException("A protobuf field number is 0.");
        }

        return true;
    }

    /// <summary>The current varint field.</summary>
    public ulong Varint() => Expect(0) ? ReadVarint() : 0;

    /// <summary>The current 64-bit field (fixed64, sfixed64, double).</summary>
    public ulong Fixed64()
    {
        Expect(1);
        var value = BitConverter.ToUInt64(Take(8));
        return value;
    }

    /// <summary>The current double field.</summary>
    public double Double() => BitConverter.UInt64BitsToDouble(Fixed64());

    /// <summary>The current length-delimited field (a string, bytes, a nested message or a packed list).</summary>
    public ReadOnlySpan<byte> Bytes()
    {
        Expect(2);
        var length = ReadVarint();
        return length > int.MaxValue ? throw new FormatException("A protobuf length is too large.") : Take((int)length);
    }

    /// <summary>The current string field.</summary>
    public string String() => System.Text.Encoding.UTF8.GetString(Bytes());

    /// <summary>Passes over the current field.</summary>
    public void Skip()
    {
        switch (WireType)
        {
            case 0: ReadVarint(); break;
            case 1: Take(8); break;
            case 2: Bytes(); break;
            case 5: Take(4); break;
            default: throw new FormatException($"Protobuf wire type {WireType} is not one OTLP uses.");
        }
    }

    private bool Expect(int wireType) =>
        WireType == wireType ? true : throw new FormatException($"Field {Field} has wire type {WireType}, not {wireType}.");

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Take(1)[0];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new FormatException("A protobuf varint is longer than 10 bytes.");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || _at + count > _data.Length)
        {
            throw new FormatException("The protobuf message ends inside a field.");
        }

        var slice = _data.Slice(_at, count);
        _at += count;
        return slice;
    }
}
