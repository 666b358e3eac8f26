namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// One iSCSI PDU: its typed Basic Header Segment fields and its data segment.
/// </summary>
/// <remarks>
/// Ownership: a PDU returned by <see cref="PduReader"/> owns <see cref="Data"/>, an exact-size array
/// that is not pooled; the PDU may be kept or passed to another actor freely. A PDU built for
/// <see cref="PduWriter"/> references caller memory that must stay unchanged until it is written.
/// </remarks>
public abstract record IscsiPdu
{
    /// <summary>The opcode of byte 0.</summary>
    public abstract IscsiOpcode Opcode { get; }

    /// <summary>Initiator Task Tag (bytes 16-19); <see cref="BasicHeaderSegment.ReservedTag"/> when unused.</summary>
    public uint InitiatorTaskTag { get; init; }

    /// <summary>The data segment without padding or digest.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>Writes byte 0 to 3 and 8 to 15, 20 to 47; the writer fills the lengths and the ITT.</summary>
    internal abstract void WriteHeader(Span<byte> bhs);

    /// <summary>Length in bytes of the Additional Header Segments, a multiple of 4.</summary>
    internal virtual int AdditionalHeaderLength => 0;

    /// <summary>Writes the Additional Header Segments into exactly <see cref="AdditionalHeaderLength"/> bytes.</summary>
    internal virtual void WriteAdditionalHeaders(Span<byte> ahs)
    {
    }
}
