using IscsiCluster.Iscsi.Protocol.Pdus;

namespace IscsiCluster.Iscsi.Sessions;

/// <summary>Rebuilds the 48-byte BHS of a received PDU, which a Reject carries as its data (RFC 7143 11.17).</summary>
internal static class PduHeaders
{
    public static ReadOnlyMemory<byte> Encode(IscsiPdu pdu) =>
        PduWriter.ToArray(pdu with { Data = ReadOnlyMemory<byte>.Empty }, default).AsMemory(0, BasicHeaderSegment.Length);
}
