using System.Buffers.Binary;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Spc;

/// <summary>
/// REPORT TARGET PORT GROUPS (SPC-4 6.36). A node is one target port group; for now the
/// answer is the group of the port the command came through, active/optimized, holding
/// that port.
/// </summary>
internal static class ReportTargetPortGroupsCommand
{
    /// <summary>CDB usage: PARAMETER DATA FORMAT, SERVICE ACTION, ALLOCATION LENGTH.</summary>
    public static readonly byte[] Usage =
        [OpCode.MaintenanceIn, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00];

    // SPC-4 6.36, tables 248-250.
    private const int FormatShift = 5;
    private const int FormatLengthOnly = 0;
    private const int FormatExtended = 1;
    private const int LengthHeader = 4;
    private const int ExtendedHeader = 8;
    private const byte ExtendedFormatType = 0x10;
    private const int GroupDescriptorLength = 8;
    private const int PortDescriptorLength = 4;
    private const byte ActiveOptimized = 0x0;
    private const byte SupportsActiveOptimized = 0x01;    // AO_SUP
    private const byte SupportsActiveNonOptimized = 0x02; // AN_SUP
    private const byte Preferred = 0x80;                  // PREF

    public static CommandEntry Entry { get; } =
        CommandEntry.Sync(OpCode.MaintenanceIn, ServiceAction.ReportTargetPortGroups, ReservationAccess.Unrestricted, Usage, Handle);

    private static CommandResult Handle(CommandContext context)
    {
        var cdb = context.Cdb.Span;
        var format = cdb[1] >> FormatShift;
        if (format is not (FormatLengthOnly or FormatExtended))
        {
            return SenseProblem.CdbField(1, 7);
        }

        var nexus = context.Command.Nexus;
        var headerLength = format == FormatExtended ? ExtendedHeader : LengthHeader;
        var data = new byte[headerLength + GroupDescriptorLength + PortDescriptorLength];
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)(data.Length - LengthHeader));   // RETURN DATA LENGTH
        if (format == FormatExtended)
        {
            data[4] = ExtendedFormatType;                 // IMPLICIT TRANSITION TIME zero: unspecified
        }

        var group = data.AsSpan(headerLength);
        group[0] = Preferred | ActiveOptimized;
        group[1] = SupportsActiveOptimized | SupportsActiveNonOptimized;
        BinaryPrimitives.WriteUInt16BigEndian(group[2..], nexus.TargetPortGroup);
        group[7] = 1;                                     // TARGET PORT COUNT
        BinaryPrimitives.WriteUInt16BigEndian(group[(GroupDescriptorLength + 2)..], nexus.RelativeTargetPortId);
        return CommandResult.WithData(data, Cdb.AllocationLength12(cdb));
    }
}
