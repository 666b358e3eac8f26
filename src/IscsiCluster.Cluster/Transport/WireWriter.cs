using System.Buffers;
using System.Buffers.Binary;

namespace IscsiCluster.Cluster.Transport;

/// <summary>
/// Writes a frame payload's fields in network byte order. The same code measures a message (with no output, it only
/// counts) and writes it, so a frame's declared length can never disagree with what it writes.
/// </summary>
public ref struct WireWriter
{
    private readonly IBufferWriter<byte>? _output;

    public WireWriter(IBufferWriter<byte>? output)
    {
        _output = output;
        Length = 0;
    }

    /// <summary>Bytes written (or, measuring, that would be).</summary>
    public int Length { get; private set; }

    public void Byte(byte value)
    {
        if (_output is not null)
        {
            _output.GetSpan(1)[0] = value;
            _output.Advance(1);
        }

        Length += 1;
    }

    public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

    public void Int32(int value)
    {
        if (_output is not null)
        {
            BinaryPrimitives.WriteInt32BigEndian(_output.GetSpan(4), value);
            _output.Advance(4);
        }

        Length += 4;
    }

    public void Int64(long value)
    {
        if (_output is not null)
        {
            BinaryPrimitives.WriteInt64BigEndian(_output.GetSpan(8), value);
            _output.Advance(8);
        }

        Length += 8;
    }

    public void UInt64(ulong value) => Int64(unchecked((long)value));

    /// <summary>A length-prefixed run of bytes.</summary>
    public void Bytes(ReadOnlySpan<byte> value)
    {
        Int32(value.Length);
        if (_output is not null)
        {
            _output.Write(value);
        }

        Length += value.Length;
    }

    public void String(string value) => Bytes(System.Text.Encoding.UTF8.GetBytes(value));
}

/// <summary>Reads what <see cref="WireWriter"/> wrote; any shortfall or impossible length throws <see cref="InvalidDataException"/>.</summary>
public ref struct WireReader
{
    private SequenceReader<byte> _reader;

    public WireReader(in ReadOnlySequence<byte> payload)
    {
        _reader = new SequenceReader<byte>(payload);
    }

    /// <summary>Bytes not read yet.</summary>
    public readonly long Remaining => _reader.Remaining;

    public byte Byte() => _reader.TryRead(out var value) ? value : throw Short();

    public bool Bool() => Byte() switch
    {
        0 => false,
        1 => true,
        var other => throw new InvalidDataException($"{other} is not a boolean"),
    };

    public int Int32() => _reader.TryReadBigEndian(out int value) ? value : throw Short();

    public long Int64() => _reader.TryReadBigEndian(out long value) ? value : throw Short();

    public ulong UInt64() => unchecked((ulong)Int64());

    /// <summary>A count of items that follow, each at least <paramref name="minItemBytes"/> long: checked before any is read.</summary>
    public int Count(int minItemBytes = 1)
    {
        var count = Int32();
        return count >= 0 && (long)count * Math.Max(1, minItemBytes) <= _reader.Remaining
            ? count
            : throw new InvalidDataException($"a count of {count} items does not fit the {_reader.Remaining} bytes left");
    }

    /// <summary>A length-prefixed run of bytes, copied out of the frame.</summary>
    public byte[] Bytes()
    {
        var length = Count();
        var value = length == 0 ? [] : new byte[length];
        if (!_reader.TryCopyTo(value))
        {
            throw Short();
        }

        _reader.Advance(length);
        return value;
    }

    public string String() => System.Text.Encoding.UTF8.GetString(Bytes());

    /// <summary>Throws unless everything was read: a longer payload is as wrong as a shorter one.</summary>
    public readonly void End()
    {
        if (_reader.Remaining != 0)
        {
            throw new InvalidDataException($"{_reader.Remaining} bytes left over after the message");
        }
    }

    private static InvalidDataException Short() => new("the message ends early");
}
