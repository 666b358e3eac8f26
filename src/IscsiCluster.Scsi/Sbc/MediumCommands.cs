using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Sbc;

/// <summary>START STOP UNIT (SBC-3 5.20) and PREVENT ALLOW MEDIUM REMOVAL (SBC-3 5.14) for a non-removable medium.</summary>
internal sealed class MediumCommands(Disk disk)
{
    /// <summary>
    /// CDB usage of START STOP UNIT: IMMED, NO_FLUSH and START. POWER CONDITION and its
    /// modifier (no power conditions) and LOEJ (nothing to eject) are unsupported.
    /// </summary>
    public static readonly byte[] UsageStartStop = [OpCode.StartStopUnit, 0x01, 0x00, 0x00, 0x05, 0x00];

    /// <summary>CDB usage of PREVENT ALLOW MEDIUM REMOVAL: the PREVENT field.</summary>
    public static readonly byte[] UsagePreventAllow = [OpCode.PreventAllowMediumRemoval, 0x00, 0x00, 0x00, 0x03, 0x00];

    private const byte StartBit = 0x01;
    private const byte NoFlushBit = 0x04;
    private const int PreventOffset = 4;
    private const int PreventMask = 0x03;

    public IEnumerable<CommandEntry> Entries =>
    [
        new(OpCode.StartStopUnit, null, ReservationAccess.Write, UsageStartStop, StartStopAsync),
        CommandEntry.Sync(OpCode.PreventAllowMediumRemoval, null, ReservationAccess.Write, UsagePreventAllow, PreventAllow),
    ];

    /// <summary>
    /// START is a no-op (the unit is always active). A stop makes the cache durable unless
    /// NO_FLUSH is one (SBC-3 5.20); the unit keeps serving, as a shared LUN must not be
    /// stopped for every initiator by one of them.
    /// </summary>
    private async ValueTask<CommandResult> StartStopAsync(CommandContext context)
    {
        var flags = context.Cdb.Span[4];
        if ((flags & StartBit) == 0 && (flags & NoFlushBit) == 0)
        {
            try
            {
                await disk.Device.FlushAsync(context.CancellationToken);
            }
            catch (IOException)
            {
                return SenseReason.WriteError;
            }
        }

        return CommandResult.Good;
    }

    /// <summary>
    /// SBC-3 5.14: PREVENT 00b and 01b are accepted (a non-removable medium is never
    /// removed, so both hold trivially); 10b and 11b are for media changers (SMC).
    /// </summary>
    private static CommandResult PreventAllow(CommandContext context) =>
        (context.Cdb.Span[PreventOffset] & PreventMask) <= 1 ? CommandResult.Good : SenseProblem.CdbField(PreventOffset, 1);
}
