using System.Buffers.Binary;
using IscsiCluster.Scsi.Alua;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Spc;

/// <summary>
/// REPORT TARGET PORT GROUPS (SPC-4 6.36). A node is one target port group with one port. With the unit's
/// <see cref="IPortGroups"/> the answer lists every group and its state, the same on every path (the owner's group
/// active/optimized, other live nodes active/non-optimized, lost nodes unavailable); without them (a unit of one node)
/// it is the group of the port the command came through, active/optimized.
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
    private const byte Preferred = 0x80;                  // PREF
    private const byte OneNodeStates = 0x01 | 0x02;                  // AO_SUP, AN_SUP
    private const byte ClusterStates = OneNodeStates | 0x08 | 0x80;  // and U_SUP, T_SUP
    private const byte ImplicitChange = 0x02;             // STATUS CODE: altered by implicit asymmetric access

    /// <summary>The command, answering from <paramref name="groups"/> (or from the nexus alone when null).</summary>
    public static CommandEntry For(IPortGroups? groups) =>
        CommandEntry.Sync(OpCode.MaintenanceIn, ServiceAction.ReportTargetPortGroups, ReservationAccess.Unrestricted, Usage, context => Handle(context, groups));

    private static CommandResult Handle(CommandContext context, IPortGroups? portGroups)
    {
        var cdb = context.Cdb.Span;
        var format = cdb[1] >> FormatShift;
        if (format is not (FormatLengthOnly or FormatExtended))
        {
            return SenseProblem.CdbField(1, 7);
        }

        var nexus = context.Command.Nexus;
        IReadOnlyList<TargetPortGroup> groups = portGroups?.Groups
            ?? [new TargetPortGroup(nexus.TargetPortGroup, AsymmetricAccessState.ActiveOptimized, nexus.RelativeTargetPortId)];
        var headerLength = format == FormatExtended ? ExtendedHeader : LengthHeader;
        var data = new byte[headerLength + groups.Count * (GroupDescriptorLength + PortDescriptorLength)];
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)(data.Length - LengthHeader));   // RETURN DATA LENGTH
        if (format == FormatExtended)
        {
            data[4] = ExtendedFormatType;                 // IMPLICIT TRANSITION TIME zero: unspecified
        }

        var descriptor = data.AsSpan(headerLength);
        foreach (var group in groups)
        {
            descriptor[0] = (byte)((group.State == AsymmetricAccessState.ActiveOptimized ? Preferred : 0) | (byte)group.State);
            descriptor[1] = portGroups is null ? OneNodeStates : ClusterStates;
            BinaryPrimitives.WriteUInt16BigEndian(descriptor[2..], group.Group);
            descriptor[5] = portGroups is null ? (byte)0 : ImplicitChange;
            descriptor[7] = 1;                            // TARGET PORT COUNT
            BinaryPrimitives.WriteUInt16BigEndian(descriptor[(GroupDescriptorLength + 2)..], group.RelativePortId);
            descriptor = descriptor[(GroupDescriptorLength + PortDescriptorLength)..];
        }

        return CommandResult.WithData(data, Cdb.AllocationLength12(cdb));
    }
}
