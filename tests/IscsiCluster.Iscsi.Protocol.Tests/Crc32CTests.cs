using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using IscsiCluster.Network;

namespace IscsiCluster.Iscsi.Protocol.Tests;

public class Crc32CTests
{
    // RFC 3720 Appendix B.4: the 48-byte iSCSI READ command PDU example.
    private static readonly byte[] ReadCommandPdu =
    [
        0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18,
        0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    public static TheoryData<byte[], byte[]> Rfc3720Vectors => new()
    {
        { new byte[32], [0xaa, 0x36, 0x91, 0x8a] },
        { Enumerable.Repeat((byte)0xff, 32).ToArray(), [0x43, 0xab, 0xa8, 0x62] },
        { Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), [0x4e, 0x79, 0xdd, 0x46] },
        { Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray(), [0x5c, 0xdb, 0x3f, 0x11] },
        { ReadCommandPdu, [0x56, 0x3a, 0x96, 0xd9] },
    };

    [Theory]
    [MemberData(nameof(Rfc3720Vectors))]
    public void ComputeMatchesTheRfc3720TestVectorsInWireByteOrder(byte[] input, byte[] wireDigest)
    {
        Span<byte> digest = stackalloc byte[Crc32C.DigestLength];
        Crc32C.WriteDigest(Crc32C.Compute(input), digest);

        Assert.Equal(wireDigest, digest.ToArray());
    }

    [Fact]
    public void ThirtyTwoZeroBytesGiveTheWellKnownValue() => Assert.Equal(0x8a9136aau, Crc32C.Compute(new byte[32]));

    [Fact]
    public void ASequenceSplitAnywhereGivesTheSameDigestAsOneSpan()
    {
        var data = Enumerable.Range(0, 100).Select(i => (byte)(i * 7)).ToArray();
        var expected = Crc32C.Compute(data);

        for (var split = 0; split <= data.Length; split++)
        {
            var sequence = SequenceFactory.Split(data, split);
            Assert.Equal(expected, Crc32C.Compute(sequence));
            Assert.Equal(expected, Crc32C.Compute(data.AsSpan(0, split), data.AsSpan(split)));
        }
    }

    [Fact]
    public void EmptyInputHasDigestZero() => Assert.Equal(0u, Crc32C.Compute(ReadOnlySequence<byte>.Empty));

    [Fact]
    public void TheAcceleratedDigestAgreesWithABitwiseReferenceOnRandomInput()
    {
        var bytes = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)).Resize(300);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(bytes.ToArbitrary(), input => Crc32C.Compute(input) == BitwiseReference(input)));
    }

    /// <summary>CRC32C bit by bit: reflected polynomial 0x82F63B78, initial and final value 0xFFFFFFFF.</summary>
    private static uint BitwiseReference(byte[] input)
    {
        var crc = 0xffff_ffffu;
        foreach (var b in input)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82f6_3b78u : crc >> 1;
            }
        }

        return ~crc;
    }
}
