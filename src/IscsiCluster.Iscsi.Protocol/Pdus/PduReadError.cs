namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>Outcome of one <see cref="PduReader.TryReadPdu"/> call.</summary>
public enum PduReadStatus
{
    /// <summary>Not all of the PDU has arrived; the buffer is untouched.</summary>
    Incomplete,

    /// <summary>A PDU was read and the buffer advanced past it.</summary>
    Complete,

    /// <summary>The input is bad; see <see cref="PduReadError"/>.</summary>
    Error,
}

/// <summary>Why a PDU could not be read; each kind maps to the RFC's answer.</summary>
public enum PduErrorKind
{
    /// <summary>RFC 7143 7.8: the header cannot be trusted; drop the connection, send nothing.</summary>
    HeaderDigestMismatch,

    /// <summary>RFC 7143 7.8: PDU discarded; Reject with reason 0x02, the connection continues.</summary>
    DataDigestMismatch,

    /// <summary>DataSegmentLength exceeds our MaxRecvDataSegmentLength: protocol error, the connection ends.</summary>
    DataSegmentTooLong,

    /// <summary>TotalAHSLength exceeds the accepted maximum: protocol error, the connection ends.</summary>
    AdditionalHeaderTooLong,

    /// <summary>Unknown or vendor-specific opcode: PDU discarded, Reject with reason 0x05.</summary>
    UnsupportedOpcode,

    /// <summary>A malformed field (bad AHS, AHS where none is allowed): PDU discarded, Reject with reason 0x09.</summary>
    InvalidPduField,
}

/// <summary>
/// A read error. When <see cref="PduConsumed"/> the buffer was advanced past the whole bad PDU and
/// the connection may continue after sending a Reject; otherwise the buffer is untouched and the
/// connection must be closed (after the Reject, if <see cref="RejectReason"/> is not null).
/// </summary>
public sealed record PduReadError(PduErrorKind Kind, string Message, IscsiOpcode Opcode, uint InitiatorTaskTag, ReadOnlyMemory<byte> Header)
{
    /// <summary>The PDU was skipped; the stream is still in sync.</summary>
    public bool PduConsumed => Kind is PduErrorKind.DataDigestMismatch or PduErrorKind.UnsupportedOpcode or PduErrorKind.InvalidPduField;

    /// <summary>The connection cannot continue.</summary>
    public bool ConnectionMustClose => !PduConsumed;

    /// <summary>The Reject reason to send (RFC 7143 11.17.1), or null when no Reject may be sent.</summary>
    public RejectReason? RejectReason => Kind switch
    {
        PduErrorKind.DataDigestMismatch => Pdus.RejectReason.DataDigestError,
        PduErrorKind.DataSegmentTooLong or PduErrorKind.AdditionalHeaderTooLong => Pdus.RejectReason.ProtocolError,
        PduErrorKind.UnsupportedOpcode => Pdus.RejectReason.CommandNotSupported,
        PduErrorKind.InvalidPduField => Pdus.RejectReason.InvalidPduField,
        _ => null,
    };
}
