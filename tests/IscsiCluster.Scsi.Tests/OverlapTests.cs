using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

/// <summary>
/// Which commands may still be moving data to or from the medium while the LUN starts later
/// ones, and how a READ's pooled data-in buffer is handed back.
/// </summary>
public class OverlapTests
{
    private readonly DiskUnit _unit;
    private readonly MemoryBlockDevice _device;

    public OverlapTests()
    {
        (_unit, _device) = Harness.NewDisk(1000, 512);
        Harness.ClearPowerOn(_unit);
    }

    public static TheoryData<byte[]> SimpleReads =>
    [
        Harness.Rw6(OpCode.Read6, 1, 1),
        Harness.Rw10(OpCode.Read10, 1, 1),
        Harness.Rw12(OpCode.Read12, 1, 1),
        Harness.Rw16(OpCode.Read16, 1, 1),
    ];

    public static TheoryData<byte[]> SimpleWrites =>
    [
        Harness.Rw6(OpCode.Write6, 1, 1),
        Harness.Rw10(OpCode.Write10, 1, 1),
        Harness.Rw12(OpCode.Write12, 1, 1),
        Harness.Rw16(OpCode.Write16, 1, 1),
    ];

    public static TheoryData<byte[]> CommandsThatMustNotOverlap =>
    [
        Harness.Rw16(OpCode.WriteAtomic16, 1, 1),
        Harness.Rw10(OpCode.WriteAndVerify10, 1, 1),
        Harness.Rw16(OpCode.WriteSame16, 1, 1),
        Harness.Rw10(OpCode.SynchronizeCache10, 0, 0),
        Harness.Rw16(0x89, 1, 1), // COMPARE AND WRITE: reads, compares and writes as one
        Harness.Rw10(0x2F, 1, 1), // VERIFY(10)
        Harness.Inquiry(),
        Harness.Cdb6(0x00),       // TEST UNIT READY
        [0xFF, 0, 0, 0, 0, 0],    // unknown opcode
    ];

    [Theory]
    [MemberData(nameof(SimpleReads))]
    public void ASimpleReadMayOverlapLaterCommands(byte[] cdb) =>
        Assert.True(_unit.MayOverlap(Command(cdb, TaskAttribute.Simple)));

    [Theory]
    [MemberData(nameof(SimpleWrites))]
    public void ASimpleWriteMayOverlapLaterCommands(byte[] cdb) =>
        Assert.True(_unit.MayOverlap(Command(cdb, TaskAttribute.Simple)));

    [Theory]
    [InlineData(TaskAttribute.Ordered)]
    [InlineData(TaskAttribute.HeadOfQueue)]
    [InlineData(TaskAttribute.Aca)]
    public void AReadWithAnotherTaskAttributeDoesNot(TaskAttribute attribute) =>
        Assert.False(_unit.MayOverlap(Command(Harness.Rw10(OpCode.Read10, 1, 1), attribute)));

    [Theory]
    [MemberData(nameof(CommandsThatMustNotOverlap))]
    public void NoOtherCommandMayOverlap(byte[] cdb) =>
        Assert.False(_unit.MayOverlap(Command(cdb, TaskAttribute.Simple)));

    [Fact]
    public void NeitherTheControllerNorAnAbsentLunOverlapsAnything()
    {
        var read = Command(Harness.Rw10(OpCode.Read10, 1, 1), TaskAttribute.Simple);

        Assert.False(new ControllerUnit(Harness.Identity).MayOverlap(read));
        Assert.False(new AbsentUnit(Harness.Identity).MayOverlap(read));
    }

    [Fact]
    public void AReadHandsBackItsPooledBufferOnlyThroughTheRelease()
    {
        var data = Harness.Pattern(4 * 512, 5);
        Harness.AssertGood(Harness.Run(_unit, Harness.Rw10(OpCode.Write10, 8, 4), data));

        var read = Harness.Run(_unit, Harness.Rw10(OpCode.Read10, 8, 4));

        Harness.AssertGood(read);
        Assert.Equal(data, read.DataIn.ToArray());
        Assert.NotNull(read.DataInRelease);
        read.DataInRelease();
    }

    [Fact]
    public void AReadThatFailsOnTheMediumAnswersWithoutABuffer()
    {
        _device.Failure = new IOException("disk gone");

        var read = Harness.Run(_unit, Harness.Rw10(OpCode.Read10, 8, 4));

        Harness.AssertSense(read, 0x3, 0x11, 0x00); // MEDIUM ERROR, UNRECOVERED READ ERROR
        Assert.True(read.DataIn.IsEmpty);
        Assert.Null(read.DataInRelease);
    }

    private static ExecuteCommand Command(byte[] cdb, TaskAttribute attribute) =>
        new(Harness.DefaultNexus, 0, 1, attribute, cdb, ReadOnlyMemory<byte>.Empty, 1 << 20);
}
