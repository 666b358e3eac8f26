using IscsiCluster.Scsi.Sam;

namespace IscsiCluster.Scsi.Tests;

public class LunAddressTests
{
    [Theory]
    [InlineData(0ul, new byte[] { 0x00, 0x00, 0, 0, 0, 0, 0, 0 })]
    [InlineData(5ul, new byte[] { 0x00, 0x05, 0, 0, 0, 0, 0, 0 })]
    [InlineData(255ul, new byte[] { 0x00, 0xFF, 0, 0, 0, 0, 0, 0 })]
    [InlineData(256ul, new byte[] { 0x41, 0x00, 0, 0, 0, 0, 0, 0 })]
    [InlineData(16383ul, new byte[] { 0x7F, 0xFF, 0, 0, 0, 0, 0, 0 })]
    [InlineData(16384ul, new byte[] { 0xD2, 0x00, 0x40, 0x00, 0, 0, 0, 0 })]
    [InlineData(0xFFFFFFul, new byte[] { 0xD2, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0 })]
    public void LunsEncodeByPeripheralFlatOrExtendedFlatAddressing(ulong lun, byte[] expected)
    {
        var field = new byte[8];
        LunAddress.Encode(lun, field);

        Assert.Equal(expected, field);
        Assert.True(LunAddress.TryDecode(field, out var decoded));
        Assert.Equal(lun, decoded);
    }

    [Fact]
    public void LunsAboveTwentyFourBitsAreRefused()
    {
        Assert.False(LunAddress.IsEncodable(0x1000000));
        Assert.Throws<ArgumentOutOfRangeException>(() => LunAddress.Encode(0x1000000, new byte[8]));
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x01, 0x00, 0x02, 0, 0, 0, 0 })]   // second level
    [InlineData(new byte[] { 0x01, 0x01, 0, 0, 0, 0, 0, 0 })]         // bus identifier
    [InlineData(new byte[] { 0x80, 0x01, 0, 0, 0, 0, 0, 0 })]         // logical unit addressing
    [InlineData(new byte[] { 0xC1, 0x01, 0, 0, 0, 0, 0, 0 })]         // well known LUN
    [InlineData(new byte[] { 0x00, 0x01, 0, 0, 0, 0, 0 })]            // short
    public void UnsupportedFieldsDoNotDecode(byte[] field) => Assert.False(LunAddress.TryDecode(field, out _));
}
