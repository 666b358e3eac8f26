using System.Buffers.Binary;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class ReportTests
{
    private readonly DiskUnit _unit;

    public ReportTests()
    {
        (_unit, _) = Harness.NewDisk(blocks: 100);
        Harness.ClearPowerOn(_unit);
    }

    private static byte[] Rsoc(byte options, byte opCode = 0, ushort serviceAction = 0, uint allocation = 8192)
    {
        var cdb = new byte[12];
        cdb[0] = 0xA3;
        cdb[1] = 0x0C;
        cdb[2] = options;
        cdb[3] = opCode;
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(4), serviceAction);
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(6), allocation);
        return cdb;
    }

    private static byte[] MaintenanceIn(byte serviceAction, uint allocation = 1024, byte formatBits = 0)
    {
        var cdb = new byte[12];
        cdb[0] = 0xA3;
        cdb[1] = (byte)(formatBits | serviceAction);
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(6), allocation);
        return cdb;
    }

    private List<(byte OpCode, ushort? ServiceAction, int CdbLength)> AllCommands(IScsiUnit unit)
    {
        var answer = Harness.Run(unit, Rsoc(0));
        Harness.AssertGood(answer);
        var data = answer.DataIn.ToArray();
        Assert.Equal(data.Length - 4, (int)BinaryPrimitives.ReadUInt32BigEndian(data));
        var result = new List<(byte, ushort?, int)>();
        for (var offset = 4; offset < data.Length; offset += 8)
        {
            var servActV = (data[offset + 5] & 1) != 0;
            result.Add((data[offset], servActV ? BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset + 2)) : null,
                BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset + 6))));
        }

        return result;
    }

    /// <summary>A CDB of the listed length with only the opcode and service action set (so reserved-bit checks pass).</summary>
    private static byte[] Minimal(byte opCode, ushort? serviceAction, int length)
    {
        var cdb = new byte[length];
        cdb[0] = opCode;
        cdb[1] = (byte)(serviceAction ?? 0);
        return cdb;
    }

    [Fact]
    public void EveryListedCommandIsDispatchedAndNothingElseIs()
    {
        var listed = AllCommands(_unit);
        Assert.Contains(((byte)0x28, (ushort?)null, 10), listed);
        Assert.Contains(((byte)0x9E, (ushort?)0x10, 16), listed);
        Assert.Contains(((byte)0xA3, (ushort?)0x0C, 12), listed);
        Assert.Contains(((byte)0x5E, (ushort?)0x03, 10), listed);
        Assert.Contains(((byte)0x5F, (ushort?)0x07, 10), listed);
        Assert.Contains(((byte)0x16, (ushort?)null, 6), listed);
        Assert.Contains(((byte)0x57, (ushort?)null, 10), listed);

        for (var opCode = 0; opCode < 256; opCode++)
        {
            var entries = listed.Where(c => c.OpCode == opCode).ToList();
            var length = Commands.Cdb.LengthOf((byte)opCode) is var l and > 0 ? l : 16;
            var answer = Harness.Run(_unit, Minimal((byte)opCode, null, Math.Max(length, 16)));
            var invalidOpcode = answer.Status == ScsiStatus.CheckCondition && answer.Sense.Span[12] == 0x20;
            Assert.True(invalidOpcode == (entries.Count == 0), $"opcode {opCode:X2}: listed {entries.Count}, invalid opcode {invalidOpcode}");
        }
    }

    [Fact]
    public void EveryListedServiceActionIsDispatchedAndAnUnlistedOneIsNot()
    {
        static bool IsUnsupportedServiceAction(CommandComplete answer) =>
            answer.Status == ScsiStatus.CheckCondition && answer.Sense.Span[12] == 0x24
            && answer.Sense.Span[15] == 0xCC && answer.Sense.Span[17] == 1;

        foreach (var (opCode, serviceAction, length) in AllCommands(_unit).Where(c => c.ServiceAction is not null))
        {
            var answer = Harness.Run(_unit, Minimal(opCode, serviceAction, length));
            Assert.False(IsUnsupportedServiceAction(answer), $"{opCode:X2}/{serviceAction:X2}");
        }

        Assert.True(IsUnsupportedServiceAction(Harness.Run(_unit, Minimal(0xA3, 0x1F, 12))));
        Assert.True(IsUnsupportedServiceAction(Harness.Run(_unit, Minimal(0x9E, 0x11, 16))));
    }

    [Fact]
    public void ControllerListsOnlyWhatItRuns()
    {
        var controller = new ControllerUnit(Harness.Identity);
        Harness.ClearPowerOn(controller);

        var opCodes = AllCommands(controller).Select(c => c.OpCode).Distinct().Order().ToArray();

        Assert.Equal([0x00, 0x03, 0x12, 0xA0, 0xA3], opCodes);
    }

    [Fact]
    public void TimeoutsDescriptorsFollowEachCommandWhenRctdIsOne()
    {
        var answer = Harness.Run(_unit, Rsoc(0x80));
        var data = answer.DataIn.ToArray();

        Assert.Equal(0, (data.Length - 4) % 20);
        Assert.Equal(0x02, data[4 + 5] & 0x02);
        Assert.Equal(0x0A, BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(4 + 8)));
    }

    [Fact]
    public void OneCommandReportsItsUsageData()
    {
        var answer = Harness.Run(_unit, Rsoc(1, 0x28));

        Harness.AssertGood(answer);
        Assert.Equal([0x00, 0x03, 0x00, 0x0A, 0x28, 0x1E, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00], answer.DataIn.ToArray());
    }

    [Fact]
    public void OneUnsupportedCommandReportsNotSupported() =>
        Assert.Equal([0x00, 0x01, 0x00, 0x00], Harness.Run(_unit, Rsoc(1, 0x04)).DataIn.ToArray());

    [Fact]
    public void PersistentReserveOutServiceActionsReportTheirUsageData()
    {
        var data = Harness.Run(_unit, Rsoc(2, 0x5F, 0x07)).DataIn.ToArray();

        Assert.Equal(0x03, data[1] & 0x07);
        Assert.Equal([0x5F, 0x1F, 0xFF, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00], data[4..14]);
        Assert.Equal([0x00, 0x01, 0x00, 0x00], Harness.Run(_unit, Rsoc(2, 0x5F, 0x08)).DataIn.ToArray());
        Assert.Equal(0x03, Harness.Run(_unit, Rsoc(1, 0x17)).DataIn.Span[1] & 0x07);
    }

    [Fact]
    public void OneCommandWithServiceActionReportsItsUsageData()
    {
        var data = Harness.Run(_unit, Rsoc(2, 0x9E, 0x10)).DataIn.ToArray();

        Assert.Equal(0x03, data[1] & 0x07);
        Assert.Equal(16, BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(2)));
        Assert.Equal(0x9E, data[4]);
        Assert.Equal([0x00, 0x01, 0x00, 0x00], Harness.Run(_unit, Rsoc(2, 0x9E, 0x11)).DataIn.ToArray());
    }

    [Fact]
    public void OptionsThatDoNotFitTheOpcodeAreInvalidFieldInCdb()
    {
        Harness.AssertInvalidField(Harness.Run(_unit, Rsoc(1, 0x9E)), 3);
        Harness.AssertInvalidField(Harness.Run(_unit, Rsoc(2, 0x28)), 3);
        Harness.AssertInvalidField(Harness.Run(_unit, Rsoc(4)), 2, 2);
    }

    [Fact]
    public void OptionThreeHandlesBothKindsOfOpcode()
    {
        Assert.Equal(0x03, Harness.Run(_unit, Rsoc(3, 0x28)).DataIn.Span[1] & 0x07);
        Assert.Equal(0x03, Harness.Run(_unit, Rsoc(3, 0x9E, 0x12)).DataIn.Span[1] & 0x07);
    }

    [Fact]
    public void AllCommandsListIsCutToTheAllocationLength()
    {
        var answer = Harness.Run(_unit, Rsoc(0, allocation: 12));

        Assert.Equal(12, answer.DataIn.Length);
        Assert.Equal(12, answer.TransferLength);
    }

    [Fact]
    public void SupportedTaskManagementFunctionsMatchWhatTheUnitAnswers()
    {
        var answer = Harness.Run(_unit, MaintenanceIn(0x0D));

        Harness.AssertGood(answer);
        Assert.Equal([0xDE, 0x06, 0x00, 0x00], answer.DataIn.ToArray());
    }

    [Fact]
    public void SupportedTaskManagementFunctionsWithAllocationBelowFourIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, MaintenanceIn(0x0D, 3)), 6);

    [Fact]
    public void TargetPortGroupsReportTheNexusGroupActiveOptimized()
    {
        var nexus = Harness.Nexus(port: 4);
        Harness.ClearPowerOn(_unit, nexus);

        var answer = Harness.Run(_unit, MaintenanceIn(0x0A), nexus: nexus);

        Harness.AssertGood(answer);
        Assert.Equal([0, 0, 0, 12, 0x80, 0x03, 0x00, 0x07, 0, 0, 0, 1, 0, 0, 0x00, 0x04], answer.DataIn.ToArray());
    }

    [Fact]
    public void TargetPortGroupsExtendedHeader()
    {
        var data = Harness.Run(_unit, MaintenanceIn(0x0A, formatBits: 0x20)).DataIn.ToArray();

        Assert.Equal(20, data.Length);
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32BigEndian(data));
        Assert.Equal(0x10, data[4]);
        Assert.Equal(0x80, data[8]);
    }

    [Fact]
    public void TargetPortGroupsUnknownFormatIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, MaintenanceIn(0x0A, formatBits: 0x40)), 1, 7);
}
