using System.Buffers.Binary;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class ReadDefectDataTests
{
    private readonly DiskUnit _unit;

    public ReadDefectDataTests()
    {
        (_unit, _) = Harness.NewDisk();
        Harness.ClearPowerOn(_unit);
    }

    private static byte[] Cdb10(byte flags, ushort allocation)
    {
        var cdb = new byte[10];
        cdb[0] = OpCode.ReadDefectData10;
        cdb[2] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(7), allocation);
        return cdb;
    }

    private static byte[] Cdb12(byte flags, uint index, uint allocation)
    {
        var cdb = new byte[12];
        cdb[0] = OpCode.ReadDefectData12;
        cdb[1] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(2), index);
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(6), allocation);
        return cdb;
    }

    [Fact]
    public void TenByteFormAnswersAnEmptyListEchoingTheListsAndFormat()
    {
        var answer = Harness.Run(_unit, Cdb10(0x1D, 32));

        Harness.AssertGood(answer);
        Assert.Equal([0x00, 0x1D, 0x00, 0x00], answer.DataIn.ToArray());
    }

    [Fact]
    public void TwelveByteFormAnswersAnEightByteHeaderWithAnEmptyList()
    {
        var answer = Harness.Run(_unit, Cdb12(0x0C, 5, 64));

        Harness.AssertGood(answer);
        Assert.Equal([0x00, 0x0C, 0, 0, 0, 0, 0, 0], answer.DataIn.ToArray());
    }

    [Fact]
    public void TheAnswerIsCutToTheAllocationLength()
    {
        var answer = Harness.Run(_unit, Cdb12(0, 0, 2));

        Assert.Equal(2, answer.DataIn.Length);
        Assert.Equal(2, answer.TransferLength);
    }

    [Fact]
    public void AReservedBitOfTheTenByteFormIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Cdb10(0x20, 32)), 2, 5);

    [Fact]
    public void AnotherInitiatorsExclusiveAccessReservationConflicts()
    {
        var other = Harness.Nexus("iqn.2026-01.test:other");
        Harness.ClearPowerOn(_unit, other);
        Harness.AssertGood(Harness.Run(_unit, Harness.Cdb6(OpCode.Reserve6), nexus: other));

        Assert.Equal(Sam.ScsiStatus.ReservationConflict, Harness.Run(_unit, Cdb10(0, 32)).Status);
    }
}
