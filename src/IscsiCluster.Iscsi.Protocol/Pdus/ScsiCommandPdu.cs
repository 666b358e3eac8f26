using System.Buffers.Binary;
using Ahs = IscsiCluster.Iscsi.Protocol.Pdus.AdditionalHeaderSegment;
using Bhs = IscsiCluster.Iscsi.Protocol.Pdus.BasicHeaderSegment;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// SCSI Command (RFC 7143 11.3):
/// <code>
///  0|.|I| 0x01      |F|R|W|. .|ATTR | Reserved                      |
///  4|TotalAHSLength | DataSegmentLength                             |
///  8| Logical Unit Number (LUN)                                     |
/// 16| Initiator Task Tag                                            |
/// 20| Expected Data Transfer Length                                 |
/// 24| CmdSN                                                         |
/// 28| ExpStatSN                                                     |
/// 32/ SCSI Command Descriptor Block (CDB), 16 bytes                 /
/// 48/ AHS (optional): Extended CDB (type 1), Bidirectional Read      /
///   / Expected Data Transfer Length (type 2)                        /
/// </code>
/// Data: immediate data.
/// </summary>
public sealed record ScsiCommandPdu : IscsiPdu
{
    /// <summary>Bytes of CDB carried in the BHS; longer CDBs continue in an Extended CDB AHS.</summary>
    public const int BasicCdbLength = 16;

    /// <summary>The longest CDB this codec accepts (SPC-4 allows up to 260 bytes).</summary>
    public const int MaxCdbLength = 260;

    private const byte ReadBit = 0x40;
    private const byte WriteBit = 0x20;
    private const byte AttributeMask = 0x07;
    private const int ExpectedDataTransferLengthOffset = 20;
    private const int CmdSnOffset = 24;
    private const int ExpStatSnOffset = 28;
    private const int CdbOffset = 32;
    private const int BidirectionalLengthAhsTotal = 8;

    public override IscsiOpcode Opcode => IscsiOpcode.ScsiCommand;

    public bool Immediate { get; init; }

    /// <summary>F: no unsolicited Data-Out follows (RFC 7143 11.3.1.1).</summary>
    public bool Final { get; init; } = true;

    /// <summary>R: the command reads data from the target.</summary>
    public bool Read { get; init; }

    /// <summary>W: the command writes data to the target.</summary>
    public bool Write { get; init; }

    public ScsiTaskAttribute Attribute { get; init; } = ScsiTaskAttribute.Simple;

    public ulong Lun { get; init; }

    public uint ExpectedDataTransferLength { get; init; }

    public uint CmdSN { get; init; }

    public uint ExpStatSN { get; init; }

    /// <summary>
    /// The whole CDB: the 16 BHS bytes followed by the Extended CDB AHS bytes if any. A CDB shorter
    /// than 16 bytes is written zero-padded; a read CDB is always at least 16 bytes.
    /// </summary>
    public ReadOnlyMemory<byte> Cdb { get; init; }

    /// <summary>From the Bidirectional Read Expected Data Transfer Length AHS; null when absent.</summary>
    public uint? BidirectionalReadExpectedDataTransferLength { get; init; }

    internal override int AdditionalHeaderLength =>
        (Cdb.Length > BasicCdbLength ? Ahs.TotalLength(ExtendedCdbAhsLength) : 0)
        + (BidirectionalReadExpectedDataTransferLength is null ? 0 : BidirectionalLengthAhsTotal);

    private ushort ExtendedCdbAhsLength => (ushort)(Cdb.Length - BasicCdbLength + 1);

    /// <summary>
    /// Reads the command from its Basic Header Segment alone (no AHS, no data): what is left of a
    /// command whose data was discarded, such as one whose data digest failed.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> bhs, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ScsiCommandPdu? pdu) =>
        TryRead(bhs, [], ReadOnlyMemory<byte>.Empty, out pdu, out _);

    internal static bool TryRead(ReadOnlySpan<byte> bhs, ReadOnlySpan<byte> ahs, ReadOnlyMemory<byte> data, out ScsiCommandPdu? pdu, out string? error)
    {
        pdu = null;
        ReadOnlySpan<byte> extendedCdb = default;
        uint? bidirectionalLength = null;
        var sawExtendedCdb = false;
        while (!ahs.IsEmpty)
        {
            if (ahs.Length < Ahs.PayloadOffset)
            {
                error = "truncated additional header segment";
                return false;
            }

            var ahsLength = BinaryPrimitives.ReadUInt16BigEndian(ahs);
            var total = Ahs.TotalLength(ahsLength);
            if (ahsLength == 0 || total > ahs.Length)
            {
                error = $"additional header segment length {ahsLength} does not fit in TotalAHSLength";
                return false;
            }

            var type = ahs[Ahs.TypeOffset];
            switch (type)
            {
                case Ahs.ExtendedCdbType when !sawExtendedCdb && ahsLength > 1 && BasicCdbLength + ahsLength - 1 <= MaxCdbLength:
                    extendedCdb = ahs.Slice(Ahs.PayloadOffset, ahsLength - 1);
                    sawExtendedCdb = true;
                    break;
                case Ahs.BidirectionalReadLengthType when bidirectionalLength is null && ahsLength == Ahs.BidirectionalReadLengthAhsLength:
                    bidirectionalLength = BinaryPrimitives.ReadUInt32BigEndian(ahs[Ahs.PayloadOffset..]);
                    break;
                default:
                    error = $"unexpected, repeated or malformed additional header segment of type {type}";
                    return false;
            }

            ahs = ahs[total..];
        }

        var cdb = new byte[BasicCdbLength + extendedCdb.Length];
        bhs.Slice(CdbOffset, BasicCdbLength).CopyTo(cdb);
        extendedCdb.CopyTo(cdb.AsSpan(BasicCdbLength));
        var flags = bhs[Bhs.FlagsOffset];
        pdu = new ScsiCommandPdu
        {
            Immediate = Bhs.GetImmediate(bhs),
            Final = Bhs.GetFinal(bhs),
            Read = (flags & ReadBit) != 0,
            Write = (flags & WriteBit) != 0,
            Attribute = (ScsiTaskAttribute)(flags & AttributeMask),
            Lun = Bhs.ReadUInt64(bhs, Bhs.LunOffset),
            InitiatorTaskTag = Bhs.GetInitiatorTaskTag(bhs),
            ExpectedDataTransferLength = Bhs.ReadUInt32(bhs, ExpectedDataTransferLengthOffset),
            CmdSN = Bhs.ReadUInt32(bhs, CmdSnOffset),
            ExpStatSN = Bhs.ReadUInt32(bhs, ExpStatSnOffset),
            Cdb = cdb,
            BidirectionalReadExpectedDataTransferLength = bidirectionalLength,
            Data = data,
        };
        error = null;
        return true;
    }

    internal override void WriteHeader(Span<byte> bhs)
    {
        if (Cdb.Length > MaxCdbLength)
        {
            throw new InvalidOperationException($"A CDB of {Cdb.Length} bytes exceeds {MaxCdbLength} bytes.");
        }

        Bhs.WriteOpcode(bhs, Opcode, Immediate);
        bhs[Bhs.FlagsOffset] = (byte)((Final ? Bhs.FinalBit : 0) | (Read ? ReadBit : 0) | (Write ? WriteBit : 0)
            | ((byte)Attribute & AttributeMask));
        Bhs.WriteUInt64(bhs, Bhs.LunOffset, Lun);
        Bhs.WriteUInt32(bhs, ExpectedDataTransferLengthOffset, ExpectedDataTransferLength);
        Bhs.WriteUInt32(bhs, CmdSnOffset, CmdSN);
        Bhs.WriteUInt32(bhs, ExpStatSnOffset, ExpStatSN);
        var cdb = Cdb.Span;
        cdb[..Math.Min(cdb.Length, BasicCdbLength)].CopyTo(bhs[CdbOffset..]);
    }

    internal override void WriteAdditionalHeaders(Span<byte> ahs)
    {
        var cdb = Cdb.Span;
        if (cdb.Length > BasicCdbLength)
        {
            var ahsLength = ExtendedCdbAhsLength;
            var total = Ahs.TotalLength(ahsLength);
            Ahs.WriteHeader(ahs, ahsLength, Ahs.ExtendedCdbType);
            cdb[BasicCdbLength..].CopyTo(ahs[Ahs.PayloadOffset..]);
            ahs[(Ahs.PayloadOffset + cdb.Length - BasicCdbLength)..total].Clear();
            ahs = ahs[total..];
        }

        if (BidirectionalReadExpectedDataTransferLength is { } length)
        {
            Ahs.WriteHeader(ahs, Ahs.BidirectionalReadLengthAhsLength, Ahs.BidirectionalReadLengthType);
            BinaryPrimitives.WriteUInt32BigEndian(ahs[Ahs.PayloadOffset..], length);
        }
    }
}
