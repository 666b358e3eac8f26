using System.Buffers.Binary;
using System.Text;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class InquiryTests
{
    private readonly DiskUnit _unit;

    public InquiryTests() => (_unit, _) = Harness.NewDisk(blocks: 2048);

    [Fact]
    public void StandardDataDescribesAnSpc4DiskWithImplicitAlua()
    {
        var answer = Harness.Run(_unit, Harness.Inquiry());

        Harness.AssertGood(answer);
        var data = answer.DataIn.ToArray();
        Assert.Equal(96, data.Length);
        Assert.Equal(96, answer.TransferLength);
        Assert.Equal(0x00, data[0]);
        Assert.Equal(0x06, data[2]);
        Assert.Equal(0x12, data[3]);                            // HiSup, response data format 2
        Assert.Equal(91, data[4]);
        Assert.Equal(0x10, data[5] & 0x30);                     // TPGS 01b
        Assert.Equal(0x02, data[7] & 0x02);                     // CmdQue
        Assert.Equal("IscsiClu", Encoding.ASCII.GetString(data, 8, 8));
        Assert.Equal("Disk            ", Encoding.ASCII.GetString(data, 16, 16));
        Assert.Equal("0.1 ", Encoding.ASCII.GetString(data, 32, 4));
        Assert.Equal(0x00A0, BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(58)));
        Assert.Equal(0x0460, BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(60)));
        Assert.Equal(0x04C0, BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(62)));
        Assert.Equal(0x0960, BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(64)));
    }

    [Fact]
    public void StandardDataIsCutToTheAllocationLengthWithoutError()
    {
        var answer = Harness.Run(_unit, Harness.Inquiry(allocation: 36));

        Harness.AssertGood(answer);
        Assert.Equal(36, answer.DataIn.Length);
        Assert.Equal(36, answer.TransferLength);
    }

    [Fact]
    public void DataInIsCutToTheBufferTheInitiatorAllottedButTransferLengthIsNot()
    {
        var answer = Harness.Run(_unit, Harness.Inquiry(allocation: 255), dataInLength: 20);

        Harness.AssertGood(answer);
        Assert.Equal(20, answer.DataIn.Length);
        Assert.Equal(96, answer.TransferLength);
    }

    [Fact]
    public void ZeroAllocationLengthTransfersNothing()
    {
        var answer = Harness.Run(_unit, Harness.Inquiry(allocation: 0));

        Harness.AssertGood(answer);
        Assert.Equal(0, answer.DataIn.Length);
        Assert.Equal(0, answer.TransferLength);
    }

    [Fact]
    public void PageCodeWithoutEvpdIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Harness.Inquiry(evpd: false, page: 0x80)), 2);

    [Fact]
    public void UnknownVpdPageIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Harness.Inquiry(evpd: true, page: 0x86)), 2);

    [Fact]
    public void ObsoleteCmdDtBitIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, [0x12, 0x02, 0, 0, 255, 0]), 1, 1);

    [Fact]
    public void SupportedPagesListsEveryPageInAscendingOrder()
    {
        var page = Vpd(0x00);

        Assert.Equal([0x00, 0x80, 0x83, 0xB0, 0xB1, 0xB2], page[4..]);
        foreach (var code in page[4..])
        {
            Assert.Equal(code, Vpd(code)[1]);
        }
    }

    [Fact]
    public void UnitSerialNumberPageHoldsTheSerialNumber()
    {
        var page = Vpd(0x80);

        Assert.Equal("SN000042", Encoding.ASCII.GetString(page, 4, page.Length - 4));
    }

    [Fact]
    public void DeviceIdentificationPageParsesIntoItsDesignators()
    {
        var nexus = Harness.Nexus(port: 3);
        var page = Vpd(0x83, nexus);
        var designators = ParseDesignators(page);

        var naa = designators.Single(d => d.Type == 3);
        Assert.Equal((0x1, 0), (naa.CodeSet, naa.Association));
        Assert.Equal([0x31, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF], naa.Value);
        var vendor = designators.Single(d => d.Type == 1);
        Assert.Equal("IscsiCluSN000042", Encoding.ASCII.GetString(vendor.Value));
        var relativePort = designators.Single(d => d.Type == 4);
        Assert.Equal((1, true, 5), (relativePort.Association, relativePort.Piv, relativePort.Protocol));
        Assert.Equal([0, 0, 0, 3], relativePort.Value);
        var group = designators.Single(d => d.Type == 5);
        Assert.Equal(1, group.Association);
        Assert.Equal([0, 0, 0, 7], group.Value);
        var name = designators.Single(d => d.Type == 8);
        Assert.Equal((2, 3), (name.Association, name.CodeSet));
        Assert.Equal(0, name.Value.Length % 4);
        Assert.Equal("iqn.2026-01.test:target", Encoding.UTF8.GetString(name.Value).TrimEnd('\0'));
    }

    [Fact]
    public void OverlongTargetNameIsCutToANullTerminatedDesignator()
    {
        var nexus = Harness.DefaultNexus with { TargetName = new string('n', 300) };

        var name = ParseDesignators(Vpd(0x83, nexus)).Single(d => d.Type == 8);

        Assert.Equal(252, name.Value.Length);
        Assert.Equal(0, name.Value[^1]);
    }

    [Fact]
    public void LogicalUnitDesignatorsAreTheSameThroughEveryPort()
    {
        static IEnumerable<(int, byte[])> UnitDesignators(byte[] page) =>
            ParseDesignators(page).Where(d => d.Association == 0).Select(d => (d.Type, d.Value));

        var viaOne = UnitDesignators(Vpd(0x83, Harness.Nexus(port: 1)));
        var viaTwo = UnitDesignators(Vpd(0x83, Harness.Nexus(port: 2)));

        Assert.Equal(viaOne, viaTwo);
    }

    [Fact]
    public void BlockLimitsPageReportsTheLimits()
    {
        var (unit, _) = Harness.NewDisk(options: new DiskOptions { MaximumTransferBytes = 64 * 512, OptimalTransferBytes = 8 * 512 });
        var page = Vpd(0xB0, unit: unit);

        Assert.Equal(0x3C, BinaryPrimitives.ReadUInt16BigEndian(page.AsSpan(2)));
        Assert.Equal(64, page.Length);
        Assert.Equal(1, page[4] & 1);                           // WSNZ
        Assert.Equal(1, page[5]);                               // MAXIMUM COMPARE AND WRITE LENGTH
        Assert.Equal(64u, BinaryPrimitives.ReadUInt32BigEndian(page.AsSpan(8)));
        Assert.Equal(8u, BinaryPrimitives.ReadUInt32BigEndian(page.AsSpan(12)));
        Assert.Equal((256u << 20) / 512, BinaryPrimitives.ReadUInt32BigEndian(page.AsSpan(20)));
        Assert.Equal(256u, BinaryPrimitives.ReadUInt32BigEndian(page.AsSpan(24)));
        Assert.Equal((16ul << 20) / 512, BinaryPrimitives.ReadUInt64BigEndian(page.AsSpan(36)));
    }

    [Fact]
    public void BlockDeviceCharacteristicsPageReportsANonRotatingMedium()
    {
        var page = Vpd(0xB1);

        Assert.Equal(0x3C, BinaryPrimitives.ReadUInt16BigEndian(page.AsSpan(2)));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(page.AsSpan(4)));
    }

    [Fact]
    public void LogicalBlockProvisioningPageReportsThinProvisioningWithUnmap()
    {
        var page = Vpd(0xB2);

        Assert.Equal(4, BinaryPrimitives.ReadUInt16BigEndian(page.AsSpan(2)));
        Assert.Equal(0x80 | 0x40 | 0x20 | 0x04, page[5]);
        Assert.Equal(0x02, page[6] & 0x07);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x80)]
    [InlineData(0x83)]
    [InlineData(0xB0)]
    [InlineData(0xB1)]
    [InlineData(0xB2)]
    public void EveryVpdPageLengthMatchesItsData(byte code)
    {
        var answer = Harness.Run(_unit, Harness.Inquiry(evpd: true, page: code, allocation: 4));
        var full = Vpd(code);

        Assert.Equal(4, answer.DataIn.Length);
        Assert.Equal(full.Length, 4 + BinaryPrimitives.ReadUInt16BigEndian(full.AsSpan(2)));
        Assert.Equal(4, answer.TransferLength);
    }

    [Fact]
    public void InquiryRunsDespiteAPendingUnitAttentionAndLeavesIt()
    {
        var nexus = Harness.Nexus("iqn.2026-01.test:fresh");

        Harness.AssertGood(Harness.Run(_unit, Harness.Inquiry(), nexus: nexus));
        Harness.AssertSense(Harness.Run(_unit, Harness.Cdb6(0x00), nexus: nexus), 0x6, 0x29, 0x00);
    }

    private byte[] Vpd(byte code, Sam.ITNexus? nexus = null, IScsiUnit? unit = null)
    {
        var answer = Harness.Run(unit ?? _unit, Harness.Inquiry(evpd: true, page: code, allocation: 1024), nexus: nexus);
        Harness.AssertGood(answer);
        var page = answer.DataIn.ToArray();
        Assert.Equal(0x00, page[0]);
        Assert.Equal(code, page[1]);
        Assert.Equal(page.Length - 4, BinaryPrimitives.ReadUInt16BigEndian(page.AsSpan(2)));
        Assert.Equal(page.Length, answer.TransferLength);
        return page;
    }

    private static List<(int Protocol, int CodeSet, bool Piv, int Association, int Type, byte[] Value)> ParseDesignators(byte[] page)
    {
        var result = new List<(int, int, bool, int, int, byte[])>();
        var offset = 4;
        while (offset < page.Length)
        {
            var length = page[offset + 3];
            result.Add((page[offset] >> 4, page[offset] & 0xF, (page[offset + 1] & 0x80) != 0, (page[offset + 1] >> 4) & 3,
                page[offset + 1] & 0xF, page[(offset + 4)..(offset + 4 + length)]));
            offset += 4 + length;
        }

        Assert.Equal(page.Length, offset);
        return result;
    }
}
