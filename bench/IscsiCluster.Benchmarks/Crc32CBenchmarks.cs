using BenchmarkDotNet.Attributes;
using IscsiCluster.Network;

namespace IscsiCluster.Benchmarks;

/// <summary>
/// CRC32C (RFC 7143 12.1) over the two sizes a digest covers most: a 48-byte BHS (HeaderDigest)
/// and an 8 KiB data segment, the default MaxRecvDataSegmentLength (DataDigest).
/// </summary>
[MemoryDiagnoser]
public class Crc32CBenchmarks
{
    private const int HeaderLength = 48;
    private const int DataSegmentLength = 8 * 1024;

    private readonly byte[] _header = Payload.Random(HeaderLength);
    private readonly byte[] _dataSegment = Payload.Random(DataSegmentLength);

    [Benchmark]
    public uint Header48Bytes() => Crc32C.Compute(_header);

    [Benchmark]
    public uint DataSegment8KiB() => Crc32C.Compute(_dataSegment);
}
