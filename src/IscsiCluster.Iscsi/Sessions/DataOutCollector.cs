using System.Buffers;

namespace IscsiCluster.Iscsi.Sessions;

/// <summary>
/// Gathers the data-out buffer of one write task (RFC 7143 3.2.4.2, 11.7, 11.8): immediate data
/// in the command PDU, unsolicited Data-Out up to FirstBurstLength when InitialR2T=No, then
/// solicited bursts of at most MaxBurstLength, with at most MaxOutstandingR2T R2Ts in flight.
/// This target negotiates DataPDUInOrder=Yes and DataSequenceInOrder=Yes, so data arrives in
/// offset order within each sequence and sequences are solicited in offset order.
/// </summary>
internal sealed class DataOutCollector
{
    private readonly int _expectedLength;
    private readonly DataOutLimits _limits;
    private readonly List<Burst> _outstanding = [];
    private int _unsolicitedReceived;
    private int _unsolicitedExpectedSn;
    private bool _unsolicitedOpen;
    private int _nextSolicitOffset;
    private uint _nextR2TSn;
    private int _received;
    private byte[]? _buffer;
    private ReadOnlyMemory<byte> _adopted;

    /// <summary>
    /// Starts a collection of <paramref name="expectedLength"/> bytes. <paramref name="unsolicitedFollows"/> is
    /// true when the command PDU's F bit was clear: unsolicited Data-Out PDUs follow.
    /// </summary>
    public DataOutCollector(int expectedLength, DataOutLimits limits, bool unsolicitedFollows)
    {
        _expectedLength = expectedLength;
        _limits = limits;
        _unsolicitedOpen = unsolicitedFollows;
    }

    /// <summary>The whole data-out buffer; complete once <see cref="IsComplete"/>.</summary>
    public ReadOnlyMemory<byte> Buffer => _buffer is null ? _adopted : _buffer.AsMemory(0, _expectedLength);

    /// <summary>Whether every expected byte has arrived.</summary>
    public bool IsComplete => _received == _expectedLength;

    /// <summary>How many bytes have arrived.</summary>
    public int Received => _received;

    /// <summary>The next R2T sequence number, which is also how many R2Ts were sent (RFC 7143 11.8.5).</summary>
    public uint R2TCount => _nextR2TSn;

    private int UnsolicitedLimit => Math.Min(_limits.FirstBurstLength, _expectedLength);

    /// <summary>
    /// Takes the immediate data of the SCSI Command PDU (RFC 7143 11.3.6). Data that is the
    /// whole buffer is kept as it is, without a copy (the common small write).
    /// </summary>
    public DataOutError AcceptImmediate(ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty)
        {
            return DataOutError.None;
        }

        if (!_limits.ImmediateData)
        {
            return DataOutError.UnexpectedData;
        }

        if (data.Length > UnsolicitedLimit)
        {
            return DataOutError.BeyondLimit;
        }

        if (data.Length == _expectedLength)
        {
            _adopted = data;
        }
        else
        {
            data.Span.CopyTo(Destination(0));
        }

        _unsolicitedReceived = data.Length;
        _received = data.Length;
        return DataOutError.None;
    }

    /// <summary>Takes an unsolicited Data-Out PDU (Target Transfer Tag 0xffffffff).</summary>
    public DataOutError AcceptUnsolicited(uint dataSn, int bufferOffset, ReadOnlySpan<byte> data, bool final)
    {
        // RFC 7143 13.10: with InitialR2T=Yes the only unsolicited data is immediate data.
        if (!_unsolicitedOpen || _limits.InitialR2T)
        {
            return DataOutError.UnexpectedData;
        }

        if (dataSn != (uint)_unsolicitedExpectedSn)
        {
            return DataOutError.WrongDataSn;
        }

        if (bufferOffset != _unsolicitedReceived)
        {
            return DataOutError.WrongOffset;
        }

        if (bufferOffset + data.Length > UnsolicitedLimit)
        {
            return DataOutError.BeyondLimit;
        }

        data.CopyTo(Destination(bufferOffset));
        _unsolicitedExpectedSn++;
        _unsolicitedReceived += data.Length;
        _received += data.Length;
        if (final)
        {
            _unsolicitedOpen = false;
        }

        return DataOutError.None;
    }

    /// <summary>
    /// Plans the next R2T if one is due: unsolicited data has ended, bytes remain unsolicited,
    /// and fewer than MaxOutstandingR2T are in flight.
    /// </summary>
    public bool TryPlanR2T(uint targetTransferTag, out R2TPlan plan)
    {
        if (_unsolicitedOpen || _outstanding.Count >= _limits.MaxOutstandingR2T)
        {
            plan = default;
            return false;
        }

        if (_nextSolicitOffset < _unsolicitedReceived)
        {
            _nextSolicitOffset = _unsolicitedReceived;
        }

        if (_nextSolicitOffset >= _expectedLength)
        {
            plan = default;
            return false;
        }

        var length = Math.Min(_limits.MaxBurstLength, _expectedLength - _nextSolicitOffset);
        plan = new R2TPlan(targetTransferTag, _nextR2TSn++, _nextSolicitOffset, length);
        _outstanding.Add(new Burst(targetTransferTag, _nextSolicitOffset, length));
        _nextSolicitOffset += length;
        return true;
    }

    /// <summary>Takes a solicited Data-Out PDU answering the R2T with <paramref name="targetTransferTag"/>.</summary>
    public DataOutError AcceptSolicited(uint targetTransferTag, uint dataSn, int bufferOffset, ReadOnlySpan<byte> data, bool final)
    {
        var index = _outstanding.FindIndex(burst => burst.TargetTransferTag == targetTransferTag);
        if (index < 0)
        {
            return DataOutError.UnknownTransferTag;
        }

        var burst = _outstanding[index];
        if (dataSn != burst.ExpectedDataSn)
        {
            return DataOutError.WrongDataSn;
        }

        if (bufferOffset != burst.Offset + burst.Received)
        {
            return DataOutError.WrongOffset;
        }

        if (burst.Received + data.Length > burst.Length)
        {
            return DataOutError.BeyondLimit;
        }

        if (final && burst.Received + data.Length != burst.Length)
        {
            return DataOutError.ShortBurst;
        }

        data.CopyTo(Destination(bufferOffset));
        _received += data.Length;
        burst.Received += data.Length;
        burst.ExpectedDataSn++;
        if (burst.Received == burst.Length)
        {
            _outstanding.RemoveAt(index);
        }

        return DataOutError.None;
    }

    /// <summary>
    /// Gives a pooled buffer back once nothing reads <see cref="Buffer"/> any more (the LUN
    /// answered the command). Large writes thus reuse their buffers instead of leaving one
    /// large-object-heap array per command to the garbage collector.
    /// </summary>
    public void ReleaseBuffer()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private Span<byte> Destination(int offset)
    {
        _buffer ??= ArrayPool<byte>.Shared.Rent(_expectedLength);
        return _buffer.AsSpan(offset, _expectedLength - offset);
    }

    private sealed class Burst(uint targetTransferTag, int offset, int length)
    {
        public uint TargetTransferTag { get; } = targetTransferTag;

        public int Offset { get; } = offset;

        public int Length { get; } = length;

        public int Received { get; set; }

        public uint ExpectedDataSn { get; set; }
    }
}

/// <summary>The negotiated values that shape data-out transfers.</summary>
internal sealed record DataOutLimits(bool ImmediateData, bool InitialR2T, int FirstBurstLength, int MaxBurstLength, int MaxOutstandingR2T);

/// <summary>An R2T to send: RFC 7143 11.8 fields.</summary>
internal readonly record struct R2TPlan(uint TargetTransferTag, uint R2TSn, int BufferOffset, int DesiredLength);

/// <summary>Why a data-out segment was refused.</summary>
internal enum DataOutError
{
    None,
    UnexpectedData,
    BeyondLimit,
    WrongOffset,
    WrongDataSn,
    UnknownTransferTag,
    ShortBurst,
}
