using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using IscsiCluster.Iscsi.Protocol.Pdus;

namespace IscsiCluster.Iscsi.Protocol.Tests;

public class PduRoundTripTests
{
    public static TheoryData<int, bool, bool> Cases => PduSamples.Cases();

    [Fact]
    public void TheSamplesCoverEveryDefinedOpcode()
    {
        var covered = PduSamples.All.Select(p => p.Opcode).ToHashSet();
        var defined = Enum.GetValues<IscsiOpcode>().Where(IscsiOpcodes.IsDefined);

        Assert.All(defined, opcode => Assert.Contains(opcode, covered));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryPduSurvivesWriteThenRead(int sample, bool headerDigest, bool dataDigest)
    {
        var original = PduSamples.All[sample];
        var writeOptions = new PduWriteOptions(headerDigest, dataDigest);
        var bytes = PduWriter.ToArray(original, writeOptions);
        var buffer = new ReadOnlySequence<byte>(bytes);

        var status = PduReader.TryReadPdu(ref buffer, PduSamples.ReadOptionsFor(writeOptions), out var read, out var error);

        Assert.Null(error);
        Assert.Equal(PduReadStatus.Complete, status);
        Assert.True(buffer.IsEmpty);
        AssertSamePdu(original, read!);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void WrittenLengthMatchesGetLengthAndIsPaddedToFourBytes(int sample, bool headerDigest, bool dataDigest)
    {
        var pdu = PduSamples.All[sample];
        var options = new PduWriteOptions(headerDigest, dataDigest);
        var writer = new ArrayBufferWriter<byte>();

        var written = PduWriter.Write(writer, pdu, options);

        Assert.Equal(written, writer.WrittenCount);
        Assert.Equal(PduWriter.GetLength(pdu, options), written);
        Assert.Equal(0, written % 4);
    }

    [Fact]
    public void ReadingFromAFragmentedSequenceGivesTheSamePdu()
    {
        var options = new PduWriteOptions(HeaderDigest: true, DataDigest: true);
        foreach (var original in PduSamples.All)
        {
            var buffer = SequenceFactory.ByteByByte(PduWriter.ToArray(original, options));

            Assert.Equal(PduReadStatus.Complete, PduReader.TryReadPdu(ref buffer, PduSamples.ReadOptionsFor(options), out var read, out _));
            AssertSamePdu(original, read!);
        }
    }

    [Fact]
    public void SeveralPdusInOneBufferAreReadInOrder()
    {
        var writer = new ArrayBufferWriter<byte>();
        var options = new PduWriteOptions(HeaderDigest: true, DataDigest: false);
        foreach (var pdu in PduSamples.All)
        {
            PduWriter.Write(writer, pdu, options);
        }

        var buffer = new ReadOnlySequence<byte>(writer.WrittenMemory);
        var read = new List<IscsiPdu>();
        while (PduReader.TryReadPdu(ref buffer, PduSamples.ReadOptionsFor(options), out var pdu, out _) == PduReadStatus.Complete)
        {
            read.Add(pdu!);
        }

        Assert.True(buffer.IsEmpty);
        Assert.Equal(PduSamples.All.Select(p => p.Opcode), read.Select(p => p.Opcode));
    }

    [Fact]
    public void LoginRequestAlwaysCarriesTheImmediateBitAndLayoutMatchesTheRfc()
    {
        var pdu = new LoginRequestPdu
        {
            Transit = true, CurrentStage = LoginStage.LoginOperationalNegotiation, NextStage = LoginStage.FullFeaturePhase,
            Isid = 0x0102_0304_0506, Tsih = 0x0708, ConnectionId = 0x090a,
        };

        var bytes = PduWriter.ToArray(pdu, default);

        Assert.Equal(0x43, bytes[0]);
        Assert.Equal(0x87, bytes[1]);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, bytes[8..16]);
        Assert.Equal(new byte[] { 9, 10 }, bytes[20..22]);
    }

    [Theory]
    [InlineData(0, 0, true)]
    [InlineData(0, 2, true)]
    [InlineData(1, 2, false)]
    public void ALoginRequestOffersVersionZeroOnlyWhenItsRangeIncludesIt(byte min, byte max, bool supported) =>
        Assert.Equal(supported, new LoginRequestPdu { VersionMin = min, VersionMax = max }.OffersSupportedVersion);

    [Fact]
    public void DataSegmentLengthExcludesPaddingAndPaddingIsZero()
    {
        var bytes = PduWriter.ToArray(new NopInPdu { Data = new byte[] { 0xaa, 0xbb, 0xcc, 0xdd, 0xee } }, default);

        Assert.Equal(new byte[] { 0, 0, 5 }, bytes[5..8]);
        Assert.Equal(48 + 8, bytes.Length);
        Assert.Equal(new byte[] { 0, 0, 0 }, bytes[^3..]);
    }

    [Fact]
    public void ExtendedCdbAhsHasTheRfcLayout()
    {
        var cdb = Enumerable.Range(0, 20).Select(i => (byte)i).ToArray();

        var bytes = PduWriter.ToArray(new ScsiCommandPdu { Cdb = cdb }, default);

        // AHSLength = 20 - 16 + 1 = 5, type 1, reserved, then 4 CDB bytes, padded to 8.
        Assert.Equal(2, bytes[4]);
        Assert.Equal(new byte[] { 0, 5, 1, 0, 16, 17, 18, 19 }, bytes[48..56]);
    }

    [Fact]
    public void LoginStatusIsWrittenAsStatusClassThenStatusDetail()
    {
        var bytes = PduWriter.ToArray(new LoginResponsePdu { Status = LoginStatus.AuthenticationFailure }, default);

        Assert.Equal(new byte[] { 0x02, 0x01 }, bytes[36..38]);
    }

    [Fact]
    public void RandomScsiCommandsSurviveWriteThenRead()
    {
        var commands =
            from cdbLength in Gen.Choose(1, ScsiCommandPdu.MaxCdbLength)
            from cdbSeed in Gen.Choose(0, 255)
            from dataLength in Gen.Choose(0, 3000)
            from words in Gen.ArrayOf(Gen.Choose(int.MinValue, int.MaxValue), 5)
            from flags in Gen.Choose(0, 255)
            from bidirectional in Gen.Elements(true, false)
            from digests in Gen.Elements(PduSamples.DigestCombinations.ToArray())
            select (Pdu: new ScsiCommandPdu
            {
                Immediate = (flags & 1) != 0, Final = (flags & 2) != 0, Read = (flags & 4) != 0, Write = (flags & 8) != 0,
                Attribute = (ScsiTaskAttribute)(flags >> 5), Lun = ((ulong)(uint)words[0] << 32) | (uint)words[1],
                InitiatorTaskTag = (uint)words[2], ExpectedDataTransferLength = (uint)words[3], CmdSN = (uint)words[4], ExpStatSN = (uint)flags,
                Cdb = Enumerable.Range(cdbSeed, Math.Max(cdbLength, ScsiCommandPdu.BasicCdbLength)).Select(i => (byte)i).ToArray(),
                BidirectionalReadExpectedDataTransferLength = bidirectional ? (uint)words[3] ^ 0x5555u : null,
                Data = Enumerable.Range(0, dataLength).Select(i => (byte)(i * 13)).ToArray(),
            }, Options: digests);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(commands.ToArbitrary(), input =>
        {
            var readOptions = PduSamples.ReadOptionsFor(input.Options) with { MaxAdditionalHeaderLength = 1020 };
            var buffer = new ReadOnlySequence<byte>(PduWriter.ToArray(input.Pdu, input.Options));
            var status = PduReader.TryReadPdu(ref buffer, readOptions, out var read, out _);
            var command = read as ScsiCommandPdu;
            return status == PduReadStatus.Complete && command is not null
                && command.Cdb.Span.SequenceEqual(input.Pdu.Cdb.Span) && command.Data.Span.SequenceEqual(input.Pdu.Data.Span)
                && (command with { Cdb = default, Data = default }) == (input.Pdu with { Cdb = default, Data = default });
        }));
    }

    private static void AssertSamePdu(IscsiPdu expected, IscsiPdu actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.Data.ToArray(), actual.Data.ToArray());
        if (expected is ScsiCommandPdu expectedCommand)
        {
            var actualCommand = (ScsiCommandPdu)actual;
            var expectedCdb = expectedCommand.Cdb.ToArray();
            if (expectedCdb.Length < ScsiCommandPdu.BasicCdbLength)
            {
                Array.Resize(ref expectedCdb, ScsiCommandPdu.BasicCdbLength);
            }

            Assert.Equal(expectedCdb, actualCommand.Cdb.ToArray());
            Assert.Equal(expectedCommand with { Cdb = default, Data = default }, actualCommand with { Cdb = default, Data = default });
            return;
        }

        Assert.Equal(expected with { Data = default }, actual with { Data = default });
    }
}
