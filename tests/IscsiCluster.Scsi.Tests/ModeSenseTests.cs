using System.Buffers.Binary;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class ModeSenseTests
{
    private readonly DiskUnit _unit;

    public ModeSenseTests()
    {
        (_unit, _) = Harness.NewDisk(blocks: 5000);
        Harness.ClearPowerOn(_unit);
    }

    private static byte[] Sense6(byte page, byte pc = 0, bool dbd = false, byte subpage = 0, byte allocation = 255) =>
        [0x1A, (byte)(dbd ? 0x08 : 0), (byte)((pc << 6) | page), subpage, allocation, 0];

    private static byte[] Sense10(byte page, byte pc = 0, bool dbd = false, bool llbaa = false, ushort allocation = 1024) =>
        [0x5A, (byte)((dbd ? 0x08 : 0) | (llbaa ? 0x10 : 0)), (byte)((pc << 6) | page), 0, 0, 0, 0, (byte)(allocation >> 8), (byte)allocation, 0];

    [Fact]
    public void ModeSenseSixReturnsHeaderBlockDescriptorAndCachingPageWithWce()
    {
        var answer = Harness.Run(_unit, Sense6(0x08));

        Harness.AssertGood(answer);
        var data = answer.DataIn.ToArray();
        Assert.Equal(4 + 8 + 20, data.Length);
        Assert.Equal(data.Length - 1, data[0]);
        Assert.Equal(0x10, data[2]);                            // DPOFUA
        Assert.Equal(8, data[3]);
        Assert.Equal(5000u, BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(4)));
        Assert.Equal(512u, BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(8)));
        Assert.Equal([0x08, 0x12, 0x04], data[12..15]);
    }

    [Fact]
    public void DbdLeavesOutTheBlockDescriptor()
    {
        var data = Harness.Run(_unit, Sense6(0x0A, dbd: true)).DataIn.ToArray();

        Assert.Equal(4 + 12, data.Length);
        Assert.Equal(0, data[3]);
        Assert.Equal([0x0A, 0x0A], data[4..6]);
    }

    [Fact]
    public void AllPagesReturnsEveryPageInAscendingOrder()
    {
        var data = Harness.Run(_unit, Sense6(0x3F, dbd: true)).DataIn.ToArray();

        var codes = new List<int>();
        for (var offset = 4; offset < data.Length; offset += 2 + data[offset + 1])
        {
            codes.Add(data[offset] & 0x3F);
        }

        Assert.Equal([0x08, 0x0A, 0x1C], codes);
        Assert.Equal(data.Length - 1, data[0]);
    }

    [Fact]
    public void ChangeablePageShowsOnlyWce()
    {
        var data = Harness.Run(_unit, Sense6(0x08, pc: 1, dbd: true)).DataIn.ToArray();

        Assert.Equal(0x04, data[6]);
        Assert.All(data[7..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void DefaultPageFollowsTheOptions()
    {
        var (unit, _) = Harness.NewDisk(options: new DiskOptions { WriteCacheEnabled = false });
        Harness.ClearPowerOn(unit);

        var data = Harness.Run(unit, Sense6(0x08, pc: 2, dbd: true)).DataIn.ToArray();

        Assert.Equal(0x00, data[6]);
    }

    [Fact]
    public void SavedValuesAreSavingParametersNotSupported() =>
        Harness.AssertSense(Harness.Run(_unit, Sense6(0x08, pc: 3)), 0x5, 0x39, 0x00);

    [Fact]
    public void UnsupportedPageIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Sense6(0x19)), 2, 5);

    [Fact]
    public void UnsupportedSubpageIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Sense6(0x08, subpage: 1)), 3);

    [Fact]
    public void AllSubpagesOfAllPagesIsAccepted() =>
        Harness.AssertGood(Harness.Run(_unit, Sense6(0x3F, subpage: 0xFF)));

    [Fact]
    public void ModeSenseSixIsCutToTheAllocationLength()
    {
        var answer = Harness.Run(_unit, Sense6(0x3F, allocation: 4));

        Assert.Equal(4, answer.DataIn.Length);
        Assert.Equal(4, answer.TransferLength);
        Assert.Equal(4 + 8 + 20 + 12 + 12 - 1, answer.DataIn.Span[0]);
    }

    [Fact]
    public void ModeSenseTenWithLlbaaReturnsTheLongBlockDescriptor()
    {
        var data = Harness.Run(_unit, Sense10(0x08, llbaa: true)).DataIn.ToArray();

        Assert.Equal(8 + 16 + 20, data.Length);
        Assert.Equal(data.Length - 2, BinaryPrimitives.ReadUInt16BigEndian(data));
        Assert.Equal(0x10, data[3]);
        Assert.Equal(1, data[4] & 1);                           // LONGLBA
        Assert.Equal(16, BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(6)));
        Assert.Equal(5000ul, BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(8)));
        Assert.Equal(512u, BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(20)));
        Assert.Equal(0x08, data[24]);
    }

    [Fact]
    public void ModeSenseTenWithoutLlbaaReturnsTheShortBlockDescriptor()
    {
        var data = Harness.Run(_unit, Sense10(0x0A)).DataIn.ToArray();

        Assert.Equal(8 + 8 + 12, data.Length);
        Assert.Equal(0, data[4] & 1);
        Assert.Equal(8, BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(6)));
    }

    [Fact]
    public void ShortBlockDescriptorCapsTheBlockCount()
    {
        var (unit, device) = Harness.NewDisk(blocks: 8);
        device.BlockCount = 1L << 33;
        Harness.ClearPowerOn(unit);

        var data = Harness.Run(unit, Sense6(0x08)).DataIn.ToArray();

        Assert.Equal(0xFFFFFFFFu, BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(4)));
    }

    [Fact]
    public void LlbaaOnModeSenseSixIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, [0x1A, 0x10, 0x08, 0, 255, 0]), 1, 4);
}
