using System.Buffers;
using System.Buffers.Binary;
using IscsiCluster.Network;
using IscsiCluster.Iscsi.Protocol.Pdus;

namespace IscsiCluster.Iscsi.Protocol.Tests;

public class PduReaderTests
{
    private static readonly PduWriteOptions BothDigests = new(HeaderDigest: true, DataDigest: true);

    public static TheoryData<int, bool, bool> Cases => PduSamples.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void TryReadPduReturnsFalseForEveryTruncation(int sample, bool headerDigest, bool dataDigest)
    {
        var writeOptions = new PduWriteOptions(headerDigest, dataDigest);
        var bytes = PduWriter.ToArray(PduSamples.All[sample], writeOptions);
        var readOptions = PduSamples.ReadOptionsFor(writeOptions);

        for (var length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);

            var status = PduReader.TryReadPdu(ref buffer, readOptions, out var pdu, out var error);

            Assert.Equal(PduReadStatus.Incomplete, status);
            Assert.Null(pdu);
            Assert.Null(error);
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void ADataSegmentOverTheLimitIsRefusedAsSoonAsTheHeaderArrives()
    {
        var bytes = PduWriter.ToArray(new ScsiDataOutPdu { Data = new byte[9000] }, default);
        var buffer = new ReadOnlySequence<byte>(bytes, 0, BasicHeaderSegment.Length);

        var status = PduReader.TryReadPdu(ref buffer, new PduReadOptions { MaxRecvDataSegmentLength = 8192 }, out _, out var error);

        Assert.Equal(PduReadStatus.Error, status);
        Assert.Equal(PduErrorKind.DataSegmentTooLong, error!.Kind);
        Assert.True(error.ConnectionMustClose);
        Assert.Equal(RejectReason.ProtocolError, error.RejectReason);
        Assert.Equal(BasicHeaderSegment.Length, buffer.Length);
    }

    [Fact]
    public void DefaultReadOptionsAreTheLoginPhaseLimits()
    {
        PduReadOptions unset = default;

        Assert.Equal(new PduReadOptions(), unset);
        Assert.Equal(8192, unset.MaxRecvDataSegmentLength);
        Assert.Equal(256, unset.MaxAdditionalHeaderLength);
        Assert.False(unset.HeaderDigest || unset.DataDigest);
    }

    [Fact]
    public void ADataSegmentAtTheLimitIsAccepted()
    {
        var buffer = new ReadOnlySequence<byte>(PduWriter.ToArray(new ScsiDataOutPdu { Data = new byte[8192] }, default));

        Assert.Equal(PduReadStatus.Complete, PduReader.TryReadPdu(ref buffer, new PduReadOptions { MaxRecvDataSegmentLength = 8192 }, out _, out _));
    }

    [Fact]
    public void WithHeaderDigestsTheLimitIsCheckedOnceTheVerifiedHeaderArrives()
    {
        var bytes = PduWriter.ToArray(new ScsiDataOutPdu { Data = new byte[9000] }, BothDigests);
        var options = new PduReadOptions { HeaderDigest = true, DataDigest = true, MaxRecvDataSegmentLength = 8192 };
        var bhsOnly = new ReadOnlySequence<byte>(bytes, 0, BasicHeaderSegment.Length);
        var withDigest = new ReadOnlySequence<byte>(bytes, 0, BasicHeaderSegment.Length + Crc32C.DigestLength);

        Assert.Equal(PduReadStatus.Incomplete, PduReader.TryReadPdu(ref bhsOnly, options, out _, out _));
        Assert.Equal(PduReadStatus.Error, PduReader.TryReadPdu(ref withDigest, options, out _, out var error));
        Assert.Equal(PduErrorKind.DataSegmentTooLong, error!.Kind);
    }

    [Fact]
    public void AnAdditionalHeaderOverTheLimitIsRefusedBeforeItArrives()
    {
        var bytes = new byte[BasicHeaderSegment.Length];
        bytes[0] = (byte)IscsiOpcode.ScsiCommand;
        bytes[BasicHeaderSegment.TotalAhsLengthOffset] = 255;
        var buffer = new ReadOnlySequence<byte>(bytes);

        var status = PduReader.TryReadPdu(ref buffer, new PduReadOptions(), out _, out var error);

        Assert.Equal(PduReadStatus.Error, status);
        Assert.Equal(PduErrorKind.AdditionalHeaderTooLong, error!.Kind);
        Assert.True(error.ConnectionMustClose);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(47)]
    [InlineData(48)]
    [InlineData(51)]
    public void ACorruptedHeaderOrHeaderDigestDropsTheConnectionWithoutConsumingAnything(int corruptedByte)
    {
        var bytes = PduWriter.ToArray(new NopOutPdu { InitiatorTaskTag = 5, Data = new byte[10] }, BothDigests);
        bytes[corruptedByte] ^= 0x01;
        var buffer = new ReadOnlySequence<byte>(bytes);

        var status = PduReader.TryReadPdu(ref buffer, PduSamples.ReadOptionsFor(BothDigests), out _, out var error);

        Assert.Equal(PduReadStatus.Error, status);
        Assert.Equal(PduErrorKind.HeaderDigestMismatch, error!.Kind);
        Assert.True(error.ConnectionMustClose);
        Assert.Null(error.RejectReason);
        Assert.Equal(bytes.Length, buffer.Length);
    }

    [Theory]
    [InlineData(52)]
    [InlineData(61)]
    [InlineData(62)]
    [InlineData(64)]
    [InlineData(67)]
    public void ACorruptedDataSegmentOrDataDigestIsSkippedAndRejectedWithReasonDataDigestError(int corruptedByte)
    {
        var writer = new ArrayBufferWriter<byte>();
        PduWriter.Write(writer, new NopOutPdu { InitiatorTaskTag = 5, Data = new byte[10] }, BothDigests);
        PduWriter.Write(writer, new NopOutPdu { InitiatorTaskTag = 6 }, BothDigests);
        var bytes = writer.WrittenSpan.ToArray();
        bytes[corruptedByte] ^= 0x80;
        var buffer = new ReadOnlySequence<byte>(bytes);
        var options = PduSamples.ReadOptionsFor(BothDigests);

        var status = PduReader.TryReadPdu(ref buffer, options, out _, out var error);

        Assert.Equal(PduReadStatus.Error, status);
        Assert.Equal(PduErrorKind.DataDigestMismatch, error!.Kind);
        Assert.True(error.PduConsumed);
        Assert.Equal(RejectReason.DataDigestError, error.RejectReason);
        Assert.Equal(5u, error.InitiatorTaskTag);
        Assert.Equal(BasicHeaderSegment.Length, error.Header.Length);
        Assert.Equal(PduReadStatus.Complete, PduReader.TryReadPdu(ref buffer, options, out var next, out _));
        Assert.Equal(6u, next!.InitiatorTaskTag);
    }

    [Fact]
    public void AnEmptyDataSegmentHasNoDataDigest()
    {
        var bytes = PduWriter.ToArray(new NopOutPdu(), BothDigests);

        Assert.Equal(BasicHeaderSegment.Length + Crc32C.DigestLength, bytes.Length);
    }

    [Theory]
    [InlineData(0x1c)]
    [InlineData(0x07)]
    [InlineData(0x3e)]
    [InlineData(0x30)]
    public void AnUnknownOpcodeIsSkippedAndRejectedAsCommandNotSupported(byte opcode)
    {
        var bytes = PduWriter.ToArray(new NopOutPdu { Data = new byte[6] }, default);
        bytes[0] = opcode;
        var buffer = new ReadOnlySequence<byte>(bytes);

        var status = PduReader.TryReadPdu(ref buffer, new PduReadOptions(), out _, out var error);

        Assert.Equal(PduReadStatus.Error, status);
        Assert.Equal(PduErrorKind.UnsupportedOpcode, error!.Kind);
        Assert.Equal(RejectReason.CommandNotSupported, error.RejectReason);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void AnAdditionalHeaderOnAPduOtherThanScsiCommandIsAnInvalidField()
    {
        var bytes = new byte[BasicHeaderSegment.Length + 8];
        bytes[0] = (byte)IscsiOpcode.NopOut;
        bytes[BasicHeaderSegment.TotalAhsLengthOffset] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(48), 5);
        bytes[50] = 2;
        var buffer = new ReadOnlySequence<byte>(bytes);

        var status = PduReader.TryReadPdu(ref buffer, new PduReadOptions(), out _, out var error);

        Assert.Equal(PduReadStatus.Error, status);
        Assert.Equal(PduErrorKind.InvalidPduField, error!.Kind);
        Assert.Equal(RejectReason.InvalidPduField, error.RejectReason);
        Assert.True(buffer.IsEmpty);
    }

    [Theory]
    [InlineData(7, 5)]
    [InlineData(2, 9)]
    [InlineData(1, 0)]
    [InlineData(1, 40)]
    public void AMalformedScsiCommandAdditionalHeaderIsAnInvalidField(byte type, ushort ahsLength)
    {
        var bytes = new byte[BasicHeaderSegment.Length + 8];
        bytes[0] = (byte)IscsiOpcode.ScsiCommand;
        bytes[BasicHeaderSegment.TotalAhsLengthOffset] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(48), ahsLength);
        bytes[50] = type;
        var buffer = new ReadOnlySequence<byte>(bytes);

        var status = PduReader.TryReadPdu(ref buffer, new PduReadOptions(), out _, out var error);

        Assert.Equal(PduReadStatus.Error, status);
        Assert.Equal(PduErrorKind.InvalidPduField, error!.Kind);
    }

    [Fact]
    public void TwoBidirectionalAdditionalHeadersAreAnInvalidField()
    {
        var command = PduWriter.ToArray(new ScsiCommandPdu { BidirectionalReadExpectedDataTransferLength = 1 }, default);
        var bytes = new byte[command.Length + 8];
        command.CopyTo(bytes, 0);
        command.AsSpan(48, 8).CopyTo(bytes.AsSpan(56));
        bytes[BasicHeaderSegment.TotalAhsLengthOffset] = 4;
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.Equal(PduReadStatus.Error, PduReader.TryReadPdu(ref buffer, new PduReadOptions(), out _, out var error));
        Assert.Equal(PduErrorKind.InvalidPduField, error!.Kind);
    }

    [Fact]
    public void TheReadPduOwnsACopyOfItsData()
    {
        var bytes = PduWriter.ToArray(new NopOutPdu { Data = new byte[] { 1, 2, 3, 4 } }, default);
        var buffer = new ReadOnlySequence<byte>(bytes);

        PduReader.TryReadPdu(ref buffer, new PduReadOptions(), out var pdu, out _);
        bytes.AsSpan().Clear();

        Assert.Equal(new byte[] { 1, 2, 3, 4 }, pdu!.Data.ToArray());
    }
}
