using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Tests;

public class SenseTableTests
{
    [Theory]
    [InlineData(SenseReason.NoSense, 0x0, 0x00, 0x00)]
    [InlineData(SenseReason.InvalidCommandOperationCode, 0x5, 0x20, 0x00)]
    [InlineData(SenseReason.InvalidFieldInCdb, 0x5, 0x24, 0x00)]
    [InlineData(SenseReason.InvalidFieldInParameterList, 0x5, 0x26, 0x00)]
    [InlineData(SenseReason.ParameterListLengthError, 0x5, 0x1A, 0x00)]
    [InlineData(SenseReason.InvalidFieldInCommandInformationUnit, 0x5, 0x0E, 0x03)]
    [InlineData(SenseReason.LbaOutOfRange, 0x5, 0x21, 0x00)]
    [InlineData(SenseReason.LogicalUnitNotSupported, 0x5, 0x25, 0x00)]
    [InlineData(SenseReason.SavingParametersNotSupported, 0x5, 0x39, 0x00)]
    [InlineData(SenseReason.UnrecoveredReadError, 0x3, 0x11, 0x00)]
    [InlineData(SenseReason.WriteError, 0x3, 0x0C, 0x00)]
    [InlineData(SenseReason.MiscompareDuringVerify, 0xE, 0x1D, 0x00)]
    [InlineData(SenseReason.PowerOnResetOccurred, 0x6, 0x29, 0x00)]
    [InlineData(SenseReason.PowerOnOccurred, 0x6, 0x29, 0x01)]
    [InlineData(SenseReason.BusDeviceResetFunctionOccurred, 0x6, 0x29, 0x03)]
    [InlineData(SenseReason.ITNexusLossOccurred, 0x6, 0x29, 0x07)]
    [InlineData(SenseReason.ModeParametersChanged, 0x6, 0x2A, 0x01)]
    [InlineData(SenseReason.ReportedLunsDataHasChanged, 0x6, 0x3F, 0x0E)]
    public void EveryReasonBuildsFixedSenseWithItsKeyAscAndAscq(SenseReason reason, byte key, byte asc, byte ascq)
    {
        var sense = SenseTable.BuildFixed(reason);

        Assert.Equal(18, sense.Length);
        Assert.Equal(0x70, sense[0]);
        Assert.Equal(key, sense[2]);
        Assert.Equal(10, sense[7]);
        Assert.Equal(asc, sense[12]);
        Assert.Equal(ascq, sense[13]);
        Assert.Equal(0, sense[15]);
    }

    [Fact]
    public void EveryReasonHasATableEntry()
    {
        foreach (var reason in Enum.GetValues<SenseReason>())
        {
            _ = SenseTable.Lookup(reason);
        }
    }

    [Fact]
    public void FixedSenseCarriesInformationAndFieldPointer()
    {
        var sense = SenseTable.BuildFixed(new SenseProblem(SenseReason.InvalidFieldInCdb, new FieldPointer(true, 0x0102, 5), 0xA1B2C3D4));

        Assert.Equal(0xF0, sense[0]);
        Assert.Equal([0xA1, 0xB2, 0xC3, 0xD4], sense[3..7]);
        Assert.Equal(0x80 | 0x40 | 0x08 | 5, sense[15]);
        Assert.Equal([0x01, 0x02], sense[16..18]);
    }

    [Fact]
    public void FixedSenseLeavesValidClearWhenInformationDoesNotFitFourBytes()
    {
        var sense = SenseTable.BuildFixed(new SenseProblem(SenseReason.MiscompareDuringVerify, null, 1UL << 40));

        Assert.Equal(0x70, sense[0]);
        Assert.Equal([0, 0, 0, 0], sense[3..7]);
    }

    [Fact]
    public void ParameterListFieldPointerHasCommandDataBitClear()
    {
        var sense = SenseTable.BuildFixed(SenseProblem.ParameterField(9));

        Assert.Equal(0x80, sense[15]);
        Assert.Equal([0x00, 0x09], sense[16..18]);
    }

    [Fact]
    public void DescriptorSenseHasHeaderAndBothDescriptors()
    {
        var sense = SenseTable.BuildDescriptor(new SenseProblem(SenseReason.LbaOutOfRange, new FieldPointer(true, 2, null), 0x1122334455667788));

        Assert.Equal([0x72, 0x05, 0x21, 0x00], sense[..4]);
        Assert.Equal(sense.Length - 8, sense[7]);
        Assert.Equal([0x00, 0x0A, 0x80, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88], sense[8..20]);
        Assert.Equal([0x02, 0x06, 0x00, 0x00, 0xC0, 0x00, 0x02, 0x00], sense[20..28]);
    }

    [Fact]
    public void DescriptorSenseWithoutDetailsIsEightBytes()
    {
        var sense = SenseTable.BuildDescriptor(SenseReason.NoSense);

        Assert.Equal([0x72, 0, 0, 0, 0, 0, 0, 0], sense);
    }
}
