using System.Buffers.Binary;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Spc;

/// <summary>
/// REPORT SUPPORTED OPERATION CODES (SPC-4 6.35). It reads the same command set the
/// dispatcher runs, so what it lists is exactly what the unit supports.
/// </summary>
internal sealed class ReportSupportedOperationCodesCommand(Func<CommandSet> commands)
{
    /// <summary>CDB usage: SERVICE ACTION, RCTD, REPORTING OPTIONS, REQUESTED OPERATION CODE and SERVICE ACTION, ALLOCATION LENGTH.</summary>
    public static readonly byte[] Usage =
        [OpCode.MaintenanceIn, 0x1F, 0x87, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00];

    private const int OptionsOffset = 2;
    private const int RequestedOpCodeOffset = 3;
    private const int RequestedServiceActionOffset = 4;
    private const byte RctdBit = 0x80;
    private const int OptionsMask = 0x07;

    // SPC-4 6.35.1, table 238: REPORTING OPTIONS.
    private const int AllCommands = 0;
    private const int OneCommand = 1;
    private const int OneCommandWithServiceAction = 2;
    private const int OneCommandMaybeServiceAction = 3;

    // SPC-4 6.35.2 and 6.35.3 layouts.
    private const int AllHeaderLength = 4;
    private const int CommandDescriptorLength = 8;
    private const int TimeoutsDescriptorLength = 12;
    private const byte Ctdp = 0x02;
    private const byte ServActV = 0x01;
    private const byte OneCtdp = 0x80;
    private const byte SupportNone = 0x1;
    private const byte SupportStandard = 0x3;

    public CommandEntry Entry =>
        CommandEntry.Sync(OpCode.MaintenanceIn, ServiceAction.ReportSupportedOperationCodes, ReservationAccess.Unrestricted, Usage, Handle);

    private CommandResult Handle(CommandContext context)
    {
        var cdb = context.Cdb.Span;
        var timeouts = (cdb[OptionsOffset] & RctdBit) != 0;
        var opCode = cdb[RequestedOpCodeOffset];
        var serviceAction = BinaryPrimitives.ReadUInt16BigEndian(cdb[RequestedServiceActionOffset..]);
        var set = commands();
        var allocationLength = Cdb.AllocationLength12(cdb);
        switch (cdb[OptionsOffset] & OptionsMask)
        {
            case AllCommands:
                return CommandResult.WithData(All(set, timeouts), allocationLength);
            case OneCommand when !set.HasServiceActions(opCode):
            case OneCommandMaybeServiceAction when !set.HasServiceActions(opCode):
                return CommandResult.WithData(One(set, opCode, null, timeouts), allocationLength);
            case OneCommandWithServiceAction when set.HasServiceActions(opCode) || !set.Supports(opCode):
            case OneCommandMaybeServiceAction:
                return CommandResult.WithData(One(set, opCode, serviceAction, timeouts), allocationLength);
            case OneCommand:
                // SPC-4 6.35.1: options 001b for an opcode that has service actions.
                return SenseProblem.CdbField(RequestedOpCodeOffset);
            case OneCommandWithServiceAction:
                // Options 010b for an opcode that has none.
                return SenseProblem.CdbField(RequestedOpCodeOffset);
            default:
                return SenseProblem.CdbField(OptionsOffset, 2);
        }
    }

    /// <summary>SPC-4 6.35.2: every command descriptor (table 241), with command timeouts descriptors when RCTD is one.</summary>
    private static byte[] All(CommandSet set, bool timeouts)
    {
        var each = CommandDescriptorLength + (timeouts ? TimeoutsDescriptorLength : 0);
        var data = new byte[AllHeaderLength + (set.Entries.Count * each)];
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)(data.Length - AllHeaderLength));
        var offset = AllHeaderLength;
        foreach (var entry in set.Entries)
        {
            data[offset] = entry.OpCode;
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(offset + 2), entry.ServiceAction ?? 0);
            data[offset + 5] = (byte)((timeouts ? Ctdp : 0) | (entry.ServiceAction is null ? 0 : ServActV));
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(offset + 6), (ushort)entry.CdbLength);
            if (timeouts)
            {
                WriteTimeouts(data.AsSpan(offset + CommandDescriptorLength));
            }

            offset += each;
        }

        return data;
    }

    /// <summary>SPC-4 6.35.3, table 243: SUPPORT and the CDB usage data of one command.</summary>
    private static byte[] One(CommandSet set, byte opCode, ushort? serviceAction, bool timeouts)
    {
        if (!set.TryFind(opCode, serviceAction, out var entry))
        {
            return [0, SupportNone, 0, 0];
        }

        var data = new byte[4 + entry.CdbLength + (timeouts ? TimeoutsDescriptorLength : 0)];
        data[1] = (byte)((timeouts ? OneCtdp : 0) | SupportStandard);
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(2), (ushort)entry.CdbLength);
        entry.Usage.CopyTo(data, 4);
        if (timeouts)
        {
            WriteTimeouts(data.AsSpan(4 + entry.CdbLength));
        }

        return data;
    }

    /// <summary>SPC-4 6.35.4, table 245: DESCRIPTOR LENGTH 0Ah; zero timeouts mean "not specified".</summary>
    private static void WriteTimeouts(Span<byte> destination) =>
        BinaryPrimitives.WriteUInt16BigEndian(destination, TimeoutsDescriptorLength - 2);
}
