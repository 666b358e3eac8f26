using System.Buffers.Binary;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Scsi.Sam;

namespace IscsiCluster.Iscsi.Sessions;

/// <summary>Answers to completed commands: Data-In sequences and SCSI Response (RFC 7143 11.4, 11.7).</summary>
internal sealed partial class SessionActor
{
    private const int SenseLengthFieldSize = 2;

    /// <summary>
    /// Holds the outbox while the session answers the commands its LUNs completed: the answers
    /// already in the mailbox leave together, in one send, when the session reaches the note it
    /// sends itself here (at depth 1 that note comes straight after the one answer).
    /// </summary>
    private void HoldOutput()
    {
        if (_outputHeld)
        {
            return;
        }

        _outputHeld = true;
        _connection.Hold();
        Self.Tell(PushOutput.Instance, Self);
    }

    private void PushHeldOutput()
    {
        _outputHeld = false;
        _connection.Push();
    }

    private void SendCompletion(ScsiTask task, CommandComplete complete)
    {
        var data = task.IsRead ? complete.DataIn : ReadOnlyMemory<byte>.Empty;
        if (data.Length > task.ExpectedLength)
        {
            data = data[..task.ExpectedLength];
        }

        var (overflow, underflow, residual) = Residual(task.ExpectedLength, complete.TransferLength);

        // RFC 7143 11.7.4: status may ride on the last Data-In only for a command that ended
        // without sense data (GOOD, CONDITION MET and the like).
        var statusInData = !data.IsEmpty && complete.Sense.IsEmpty && complete.Status != ScsiStatus.CheckCondition;
        var dataSn = SendDataIn(task, data, statusInData ? complete.Status : null, overflow, underflow, residual);
        if (statusInData)
        {
            return;
        }

        var expDataSn = task.IsRead ? dataSn : task.DataOut?.R2TCount ?? 0;
        SendResponse(task.InitiatorTaskTag, complete.Status, complete.Sense, overflow, underflow, residual, expDataSn);
    }

    /// <summary>
    /// Sends <paramref name="data"/> as Data-In PDUs no larger than either side's
    /// MaxRecvDataSegmentLength, in sequences of at most MaxBurstLength (the F bit closes each),
    /// and returns how many PDUs were sent (the next DataSN).
    /// </summary>
    private uint SendDataIn(ScsiTask task, ReadOnlyMemory<byte> data, ScsiStatus? status, bool overflow, bool underflow, uint residual)
    {
        // No larger than this target's own MaxRecvDataSegmentLength either, whatever the
        // initiator declares (up to 16 MiB): an encoded PDU waiting for the socket stays small.
        var segmentLimit = Math.Min(_negotiated.InitiatorMaxRecvDataSegmentLength, _negotiated.TargetMaxRecvDataSegmentLength);
        var burstLimit = _negotiated.MaxBurstLength;
        uint dataSn = 0;
        for (var burstStart = 0; burstStart < data.Length; burstStart += burstLimit)
        {
            var burstEnd = Math.Min(data.Length, burstStart + burstLimit);
            for (var offset = burstStart; offset < burstEnd;)
            {
                var length = Math.Min(segmentLimit, burstEnd - offset);
                var endOfBurst = offset + length == burstEnd;
                var last = offset + length == data.Length;
                var withStatus = last && status is not null;
                _connection.Send(new ScsiDataInPdu
                {
                    Final = endOfBurst,
                    HasStatus = withStatus,
                    Status = withStatus ? (byte)status!.Value : (byte)0,
                    ResidualOverflow = withStatus && overflow,
                    ResidualUnderflow = withStatus && underflow,
                    ResidualCount = withStatus ? residual : 0,
                    Lun = task.LunField,
                    InitiatorTaskTag = task.InitiatorTaskTag,
                    StatSN = withStatus ? _statSn++ : 0,
                    ExpCmdSN = ExpCmdSn,
                    MaxCmdSN = MaxCmdSn,
                    DataSN = dataSn++,
                    BufferOffset = (uint)offset,
                    Data = data.Slice(offset, length),
                });
                offset += length;
            }
        }

        return dataSn;
    }

    private void SendResponse(uint initiatorTaskTag, ScsiStatus status, ReadOnlyMemory<byte> sense, bool overflow, bool underflow, uint residual, uint expDataSn = 0)
    {
        _connection.Send(new ScsiResponsePdu
        {
            InitiatorTaskTag = initiatorTaskTag,
            Response = ScsiResponseCode.CommandCompletedAtTarget,
            Status = (byte)status,
            ResidualOverflow = overflow,
            ResidualUnderflow = underflow,
            ResidualCount = residual,
            StatSN = _statSn++,
            ExpCmdSN = ExpCmdSn,
            MaxCmdSN = MaxCmdSn,
            ExpDataSN = expDataSn,
            Data = sense.IsEmpty ? ReadOnlyMemory<byte>.Empty : WithSenseLength(sense.Span),
        });
    }

    /// <summary>RFC 7143 11.4.7.2: the data segment of a response with sense is SenseLength (2 bytes) then the sense data.</summary>
    private static byte[] WithSenseLength(ReadOnlySpan<byte> sense)
    {
        var segment = new byte[SenseLengthFieldSize + sense.Length];
        BinaryPrimitives.WriteUInt16BigEndian(segment, (ushort)sense.Length);
        sense.CopyTo(segment.AsSpan(SenseLengthFieldSize));
        return segment;
    }

    /// <summary>
    /// RFC 7143 11.4.5: overflow when the command would have moved more than the initiator
    /// expected, underflow when less; the residual is the difference.
    /// </summary>
    internal static (bool Overflow, bool Underflow, uint Residual) Residual(int expectedLength, long transferLength)
    {
        if (transferLength > expectedLength)
        {
            return (true, false, (uint)Math.Min(uint.MaxValue, transferLength - expectedLength));
        }

        return transferLength < expectedLength
            ? (false, true, (uint)(expectedLength - transferLength))
            : (false, false, 0u);
    }
}

/// <summary>The session's note to itself to send the answers it held back.</summary>
internal sealed record PushOutput
{
    public static readonly PushOutput Instance = new();

    private PushOutput()
    {
    }
}
