using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class DispatchTests
{
    private readonly DiskUnit _unit;

    public DispatchTests()
    {
        (_unit, _) = Harness.NewDisk();
        Harness.ClearPowerOn(_unit);
    }

    [Theory]
    [InlineData(new byte[] { 0x01, 0, 0, 0, 0, 0 })]                      // REZERO UNIT
    [InlineData(new byte[] { 0x04, 0, 0, 0, 0, 0 })]                      // FORMAT UNIT
    [InlineData(new byte[] { 0x5C, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]          // READ BUFFER CAPACITY
    [InlineData(new byte[] { 0x7F, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]          // variable length
    [InlineData(new byte[] { 0xC0, 0, 0, 0, 0, 0 })]                      // vendor specific
    public void UnknownOpcodeIsInvalidCommandOperationCode(byte[] cdb) =>
        Harness.AssertInvalidOpcode(Harness.Run(_unit, cdb));

    [Fact]
    public void EmptyCdbIsInvalidCommandOperationCode() =>
        Harness.AssertInvalidOpcode(Harness.Run(_unit, []));

    [Fact]
    public void TestUnitReadyIsGoodWithNoData()
    {
        var answer = Harness.Run(_unit, Harness.Cdb6(0x00));

        Harness.AssertGood(answer);
        Assert.Equal(0, answer.TransferLength);
        Assert.Equal(77u, answer.TaskTag);
    }

    [Fact]
    public void TestUnitReadyReservedByteIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Harness.Cdb6(0x00, b3: 1)), 3, 0);

    [Fact]
    public void IdentityThatDoesNotFitInquiryIsRefused()
    {
        var device = new MemoryBlockDevice(512, 8);

        Assert.Throws<ArgumentOutOfRangeException>(() => new DiskUnit(Harness.Identity with { UnitId = 1UL << 60 }, device));
        Assert.Throws<ArgumentException>(() => new DiskUnit(Harness.Identity with { VendorId = "TooLongVendor" }, device));
        Assert.Throws<ArgumentException>(() => new DiskUnit(Harness.Identity with { SerialNumber = "" }, device));
        Assert.Throws<ArgumentException>(() => new DiskUnit(Harness.Identity with { ProductId = "bad\u00e9" }, device));
    }

    [Fact]
    public void OptionsThatAreNotWholeBlocksAreRefused()
    {
        var device = new MemoryBlockDevice(4096, 8);

        Assert.Throws<ArgumentException>(() => new DiskUnit(Harness.Identity, device, new DiskOptions { MaximumTransferBytes = 1000 }));
    }
}
