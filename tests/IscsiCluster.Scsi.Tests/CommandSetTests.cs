using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Tests;

public class CommandSetTests
{
    private static CommandEntry Entry(byte opCode, ushort? serviceAction, params byte[] usage) =>
        CommandEntry.Sync(opCode, serviceAction, ReservationAccess.Unrestricted, usage, _ => CommandResult.Good);

    [Fact]
    public void UsageRowOfTheWrongLengthIsRefused() =>
        Assert.Throws<ArgumentException>(() => new CommandSet([Entry(0x28, null, 0x28, 0, 0, 0, 0, 0)]));

    [Fact]
    public void UsageRowForAnotherOpcodeIsRefused() =>
        Assert.Throws<ArgumentException>(() => new CommandSet([Entry(0x00, null, 0x01, 0, 0, 0, 0, 0)]));

    [Fact]
    public void EntriesAreOrderedByOpcodeThenServiceAction()
    {
        var set = new CommandSet(
        [
            Entry(0x9E, 0x12, [0x9E, .. new byte[15]]),
            Entry(0x12, null, 0x12, 0, 0, 0, 0, 0),
            Entry(0x9E, 0x10, [0x9E, .. new byte[15]]),
        ]);

        Assert.Equal([(0x12, null), (0x9E, 0x10), (0x9E, 0x12)], set.Entries.Select(e => ((int)e.OpCode, (int?)e.ServiceAction)));
    }

    [Fact]
    public void LookupDistinguishesUnknownOpcodesFromUnknownServiceActions()
    {
        var set = new CommandSet([Entry(0x9E, 0x10, [0x9E, .. new byte[15]])]);
        byte[] known = [0x9E, 0x10, .. new byte[14]];
        byte[] unknownAction = [0x9E, 0x11, .. new byte[14]];

        Assert.True(set.TryFind(known, out var entry, out _));
        Assert.Equal((ushort?)0x10, entry.ServiceAction);
        Assert.False(set.TryFind(unknownAction, out _, out var problem));
        Assert.Equal(SenseProblem.CdbField(1, 4), problem);
        Assert.False(set.TryFind([0x28, .. new byte[9]], out _, out problem));
        Assert.Equal(SenseReason.InvalidCommandOperationCode, problem.Reason);
    }
}
