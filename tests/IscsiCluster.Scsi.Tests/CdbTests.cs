using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class CdbTests
{
    [Fact]
    public void SixByteCdbReadsTwentyOneBitLbaAndZeroLengthAs256()
    {
        var cdb = Harness.Rw6(OpCode.Read6, 0x1F_ABCD, 0);

        Assert.Equal(0x1F_ABCDu, Cdb.Lba6(cdb));
        Assert.Equal(256u, Cdb.TransferLength6(cdb));
        Assert.Equal(5u, Cdb.TransferLength6(Harness.Rw6(OpCode.Read6, 0, 5)));
    }

    [Fact]
    public void SixByteLbaIgnoresTheReservedTopBitsOfByteOne()
    {
        byte[] cdb = [OpCode.Read6, 0xE1, 0x02, 0x03, 1, 0];

        Assert.Equal(0x01_0203u, Cdb.Lba6(cdb));
    }

    [Fact]
    public void TenByteCdbReadsLbaAndLength()
    {
        var cdb = Harness.Rw10(OpCode.Read10, 0xDEADBEEF, 0xFFFF);

        Assert.Equal(0xDEADBEEFu, Cdb.Lba10(cdb));
        Assert.Equal(0xFFFFu, Cdb.TransferLength10(cdb));
    }

    [Fact]
    public void TwelveByteCdbReadsLbaAndLength()
    {
        var cdb = Harness.Rw12(OpCode.Read12, 0x01020304, 0x05060708);

        Assert.Equal(0x01020304u, Cdb.Lba12(cdb));
        Assert.Equal(0x05060708u, Cdb.TransferLength12(cdb));
    }

    [Fact]
    public void SixteenByteCdbReadsLbaAndLength()
    {
        var cdb = Harness.Rw16(OpCode.Read16, 0x0102030405060708, 0x090A0B0C);

        Assert.Equal(0x0102030405060708ul, Cdb.Lba16(cdb));
        Assert.Equal(0x090A0B0Cu, Cdb.TransferLength16(cdb));
    }

    [Fact]
    public void FuaIsReadFromByteOne()
    {
        var cdb = Harness.Rw10(OpCode.Write10, 0, 1, 0xA8);

        Assert.True(Cdb.Fua(cdb));
        Assert.False(Cdb.Fua(Harness.Rw10(OpCode.Write10, 0, 1, 0x10)));
    }

    [Theory]
    [InlineData(0x00, 6)]
    [InlineData(0x1F, 6)]
    [InlineData(0x28, 10)]
    [InlineData(0x5A, 10)]
    [InlineData(0x88, 16)]
    [InlineData(0xA0, 12)]
    [InlineData(0x7F, 0)]
    [InlineData(0xC0, 0)]
    public void GroupCodeGivesCdbLength(byte opCode, int length) => Assert.Equal(length, Cdb.LengthOf(opCode));

    [Fact]
    public void AllocationLengthReadersUseTheirLayouts()
    {
        Assert.Equal(0x0102u, Cdb.AllocationLengthInquiry(Harness.Inquiry(false, 0, 0x0102)));
        Assert.Equal(0x99u, Cdb.AllocationLength6(Harness.Cdb6(0x03, b4: 0x99)));
        byte[] ten = [0x5A, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0];
        Assert.Equal(0x1234u, Cdb.AllocationLength10(ten));
        byte[] twelve = [0xA0, 0, 0, 0, 0, 0, 0x01, 0x02, 0x03, 0x04, 0, 0];
        Assert.Equal(0x01020304u, Cdb.AllocationLength12(twelve));
        var sixteen = Harness.Rw16(0x9E, 0, 0xAABBCCDD, 0x10);
        Assert.Equal(0xAABBCCDDu, Cdb.AllocationLength16(sixteen));
        Assert.Equal(0x10, Cdb.ServiceActionOf(sixteen));
    }
}
