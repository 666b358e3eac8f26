using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using IscsiCluster.Scsi.Commands;

namespace IscsiCluster.Benchmarks;

/// <summary>
/// Decoding the fields of the two CDBs on every I/O, through the SCSI layer's named helpers:
/// READ(10) (SBC-3 5.11) and WRITE(16) with FUA (SBC-3 5.34).
/// </summary>
public class CdbBenchmarks
{
    private const int Read10Length = 10;
    private const int Write16Length = 16;
    private const int LbaOffset = 2;
    private const int TransferLength10Offset = 7;
    private const int TransferLength16Offset = 10;
    private const byte FuaBit = 0x08;
    private const uint BlocksOf4KiB = 8;

    private readonly byte[] _read10 = new byte[Read10Length];
    private readonly byte[] _write16 = new byte[Write16Length];

    public CdbBenchmarks()
    {
        _read10[0] = OpCode.Read10;
        BinaryPrimitives.WriteUInt32BigEndian(_read10.AsSpan(LbaOffset), 123_456);
        BinaryPrimitives.WriteUInt16BigEndian(_read10.AsSpan(TransferLength10Offset), (ushort)BlocksOf4KiB);
        _write16[0] = OpCode.Write16;
        _write16[1] = FuaBit;
        BinaryPrimitives.WriteUInt64BigEndian(_write16.AsSpan(LbaOffset), 9_876_543_210);
        BinaryPrimitives.WriteUInt32BigEndian(_write16.AsSpan(TransferLength16Offset), BlocksOf4KiB);
    }

    [Benchmark]
    public ulong Read10Fields()
    {
        ReadOnlySpan<byte> cdb = _read10;
        return Cdb.OperationCode(cdb) + Cdb.Lba10(cdb) + Cdb.TransferLength10(cdb) + (Cdb.Fua(cdb) ? 1u : 0u);
    }

    [Benchmark]
    public ulong Write16Fields()
    {
        ReadOnlySpan<byte> cdb = _write16;
        return Cdb.OperationCode(cdb) + Cdb.Lba16(cdb) + Cdb.TransferLength16(cdb) + (Cdb.Fua(cdb) ? 1u : 0u);
    }
}
