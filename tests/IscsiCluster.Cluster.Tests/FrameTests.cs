using System.Buffers;
using System.Buffers.Binary;
using IscsiCluster.Cluster.Transport;

namespace IscsiCluster.Cluster.Tests;

public class FrameTests
{
    private const int Limit = 1 << 20;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(200_000)]
    public void AWrittenFrameReadsBackWithItsKindAndPayload(int length)
    {
        var payload = Payload(length, seed: length);
        var bytes = Write(new BytesFrame(42, payload));

        var buffer = new ReadOnlySequence<byte>(bytes);
        var status = Frame.TryRead(ref buffer, Limit, out var kind, out var read, out var error);

        Assert.Equal(FrameReadStatus.Complete, status);
        Assert.Null(error);
        Assert.Equal(42, kind);
        Assert.Equal(payload, read.ToArray());
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void EveryTruncationIsIncompleteAndConsumesNothing()
    {
        var bytes = Write(new BytesFrame(17, Payload(300, seed: 1)));
        for (var length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.Equal(FrameReadStatus.Incomplete, Frame.TryRead(ref buffer, Limit, out _, out _, out _));
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void FramesSplitAcrossSegmentsReadBackInOrder()
    {
        var first = Write(new BytesFrame(20, Payload(1000, seed: 2)));
        var second = Write(new BytesFrame(21, Payload(7, seed: 3)));
        var all = first.Concat(second).ToArray();
        var buffer = Segmented(all, 13);

        Assert.Equal(FrameReadStatus.Complete, Frame.TryRead(ref buffer, Limit, out var kind1, out var payload1, out _));
        Assert.Equal(20, kind1);
        Assert.Equal(Payload(1000, seed: 2), payload1.ToArray());
        Assert.Equal(FrameReadStatus.Complete, Frame.TryRead(ref buffer, Limit, out var kind2, out var payload2, out _));
        Assert.Equal(21, kind2);
        Assert.Equal(Payload(7, seed: 3), payload2.ToArray());
        Assert.Equal(FrameReadStatus.Incomplete, Frame.TryRead(ref buffer, Limit, out _, out _, out _));
    }

    [Fact]
    public void AnyFlippedBitIsAnError()
    {
        var bytes = Write(new BytesFrame(30, Payload(64, seed: 4)));
        for (var position = 0; position < bytes.Length; position++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[position] ^= 0x10;
            var buffer = new ReadOnlySequence<byte>(damaged);
            var status = Frame.TryRead(ref buffer, Limit, out _, out _, out var error);

            // A damaged length can also make the frame look longer than what arrived: never Complete.
            Assert.NotEqual(FrameReadStatus.Complete, status);
            if (status == FrameReadStatus.Error)
            {
                Assert.NotNull(error);
            }
        }
    }

    [Fact]
    public void AFrameOverTheLimitIsRefusedBeforeItsPayloadArrives()
    {
        var header = new byte[Frame.HeaderLength];
        header[0] = 0x49;
        header[1] = 0x43;
        header[2] = Frame.Version;
        header[3] = 16;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Limit + 1);
        var buffer = new ReadOnlySequence<byte>(header);

        Assert.Equal(FrameReadStatus.Error, Frame.TryRead(ref buffer, Limit, out _, out _, out var error));
        Assert.Contains("limit", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AFrameThatWritesOtherThanItDeclaredIsABug()
    {
        var writer = new ArrayBufferWriter<byte>();
        Assert.Throws<InvalidOperationException>(() => Frame.Write(writer, new LyingFrame()));
    }

    private static byte[] Write(IOutgoingFrame frame)
    {
        var writer = new ArrayBufferWriter<byte>(16);
        Frame.Write(writer, frame);
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] Payload(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int segmentLength)
    {
        Segment? first = null, last = null;
        for (var offset = 0; offset < bytes.Length; offset += segmentLength)
        {
            var memory = bytes.AsMemory(offset, Math.Min(segmentLength, bytes.Length - offset));
            last = last is null ? first = new Segment(memory, 0) : last.Append(memory);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    private sealed class LyingFrame : IOutgoingFrame
    {
        public byte Kind => 16;

        public int PayloadLength => 10;

        public void WritePayload(IBufferWriter<byte> output)
        {
            output.GetSpan(4);
            output.Advance(4);
        }
    }
}

/// <summary>A frame whose payload is a byte array, for tests.</summary>
internal sealed record BytesFrame(byte Kind, byte[] Payload) : IOutgoingFrame
{
    public int PayloadLength => Payload.Length;

    public void WritePayload(IBufferWriter<byte> output)
    {
        // In pieces, as a real message writes its fields and then its data.
        var half = Payload.Length / 2;
        output.Write(Payload.AsSpan(0, half));
        output.Write(Payload.AsSpan(half));
    }
}
