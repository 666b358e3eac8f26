using System.Buffers;
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Scsi.Commands;

namespace IscsiCluster.Benchmarks;

/// <summary>
/// The PDU codec on the 4 KiB I/O path (RFC 7143 11): parsing what an initiator sends (a SCSI
/// Command, a Data-Out carrying 4 KiB) and serializing what the target answers (a Data-In
/// carrying 4 KiB with status, a SCSI Response). No digests; CRC32C is measured on its own.
/// </summary>
[MemoryDiagnoser]
public class PduBenchmarks
{
    private const int BlockBytes = 4096;
    private const int TransferLength10Offset = 7;
    private const ushort BlocksOf4KiB = 8;
    private const ulong Lun1 = 0x0001_0000_0000_0000;

    private readonly PduReadOptions _readOptions = new();
    private readonly PduWriteOptions _writeOptions = new(HeaderDigest: false, DataDigest: false);
    private readonly byte[] _scsiCommand;
    private readonly byte[] _dataOut;
    private readonly ScsiDataInPdu _dataIn;
    private readonly ScsiResponsePdu _response;
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);

    public PduBenchmarks()
    {
        var cdb = new byte[ScsiCommandPdu.BasicCdbLength];
        cdb[0] = OpCode.Read10;
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(TransferLength10Offset), BlocksOf4KiB);
        _scsiCommand = PduWriter.ToArray(
            new ScsiCommandPdu
            {
                Final = true,
                Read = true,
                Lun = Lun1,
                InitiatorTaskTag = 7,
                ExpectedDataTransferLength = BlockBytes,
                CmdSN = 100,
                ExpStatSN = 50,
                Cdb = cdb,
            },
            _writeOptions);
        _dataOut = PduWriter.ToArray(
            new ScsiDataOutPdu
            {
                Final = true,
                Lun = Lun1,
                InitiatorTaskTag = 8,
                TargetTransferTag = 3,
                ExpStatSN = 50,
                Data = Payload.Random(BlockBytes),
            },
            _writeOptions);
        _dataIn = new ScsiDataInPdu
        {
            Final = true,
            HasStatus = true,
            Lun = Lun1,
            InitiatorTaskTag = 7,
            StatSN = 51,
            ExpCmdSN = 101,
            MaxCmdSN = 164,
            Data = Payload.Random(BlockBytes),
        };
        _response = new ScsiResponsePdu
        {
            Response = ScsiResponseCode.CommandCompletedAtTarget,
            InitiatorTaskTag = 8,
            StatSN = 52,
            ExpCmdSN = 102,
            MaxCmdSN = 165,
        };
    }

    [Benchmark]
    public IscsiPdu? ParseScsiCommand() => Parse(_scsiCommand);

    [Benchmark]
    public IscsiPdu? ParseDataOut4KiB() => Parse(_dataOut);

    [Benchmark]
    public int SerializeDataIn4KiB() => Serialize(_dataIn);

    [Benchmark]
    public int SerializeScsiResponse() => Serialize(_response);

    private IscsiPdu? Parse(byte[] wire)
    {
        var buffer = new ReadOnlySequence<byte>(wire);
        var status = PduReader.TryReadPdu(ref buffer, in _readOptions, out var pdu, out var error);
        return status == PduReadStatus.Complete ? pdu : throw new InvalidOperationException($"{status}: {error}");
    }

    private int Serialize(IscsiPdu pdu)
    {
        _output.ResetWrittenCount();
        return PduWriter.Write(_output, pdu, in _writeOptions);
    }
}
