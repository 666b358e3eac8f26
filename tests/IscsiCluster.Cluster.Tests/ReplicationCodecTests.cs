using System.Buffers;
using IscsiCluster.Cluster.Replication;
using IscsiCluster.Cluster.Transport;
using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Messages;

namespace IscsiCluster.Cluster.Tests;

public class ReplicationCodecTests
{
    private const ulong Lun = 0x0123_4567_89AB_CDEF;

    public static TheoryData<string> MessageNames => [.. Samples().Keys];

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void EveryMessageReadsBackAsItWasWritten(string name)
    {
        var message = Samples()[name];
        var bytes = Encode(Lun, message);

        var reader = new WireReader(new ReadOnlySequence<byte>(bytes));
        var (lunId, read) = ReplicationCodec.Read(ref reader);

        Assert.Equal(Lun, lunId);
        Assert.Equal(message.GetType(), read.GetType());
        Assert.Equal(bytes, Encode(lunId, read));
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void TheFrameDeclaresExactlyWhatItWrites(string name)
    {
        var frame = new ReplicationFrame(Lun, Samples()[name]);
        var writer = new ArrayBufferWriter<byte>();
        frame.WritePayload(writer);
        Assert.Equal(frame.PayloadLength, writer.WrittenCount);
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void EveryTruncationAndAnyTrailingByteIsRefused(string name)
    {
        var bytes = Encode(Lun, Samples()[name]);
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => Read(bytes.AsSpan(0, length).ToArray()));
        }

        Assert.Throws<InvalidDataException>(() => Read([.. bytes, 0]));
    }

    [Fact]
    public void AnUnknownMessageTypeOrAnImpossibleCountIsRefused()
    {
        Assert.Throws<InvalidDataException>(() => Read([0, 0, 0, 0, 0, 0, 0, 1, 99]));

        // An Append claiming two billion entries in a few bytes.
        var bytes = Encode(Lun, new Append(1, 1, LogPosition.Origin, [], 0, false, TimeSpan.Zero));
        bytes[8 + 1 + 8 + 4 + 16] = 0x7F;
        Assert.Throws<InvalidDataException>(() => Read(bytes));
    }

    private static void Read(byte[] bytes)
    {
        var reader = new WireReader(new ReadOnlySequence<byte>(bytes));
        ReplicationCodec.Read(ref reader);
    }

    private static byte[] Encode(ulong lunId, ReplicationMessage message)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new WireWriter(output);
        ReplicationCodec.Write(ref writer, lunId, message);
        return output.WrittenSpan.ToArray();
    }

    private static Dictionary<string, ReplicationMessage> Samples()
    {
        var position = new LogPosition(41, 3);
        WriteRange[] ranges = [new(4096, 4, new byte[] { 1, 2, 3, 4 }), WriteRange.Zero(8192, 512)];
        EntryMetadata[] tail = [new(40, 3, [new ByteRange(0, 512)]), new(41, 3, [new ByteRange(512, 512), new ByteRange(4096, 4)])];
        var description = new LogDescription(3, 7, position, 39, tail, [0, 5]);
        ReplicationMessage[] all =
        [
            new Probe(17),
            new PromiseRequest(4, 2, 99),
            new Append(3, 1, new LogPosition(40, 3), [new LogEntry(41, 3, ranges), new LogEntry(42, 3, [])], 39, true, TimeSpan.FromTicks(123456789)),
            new Heartbeat(3, 1, position, TimeSpan.FromSeconds(5)),
            new SyncRequest(3, 1, TimeSpan.FromSeconds(6)),
            new DescribeLog(3, 1, 7),
            new CatchUpStart(3, 1, 7, 2, description),
            new CatchUpContinue(3, 1, 7, 2),
            new CatchUpEnd(3, 7),
            new Resign(4, 2),
            new CatchUpChunk(3, 1, 7, 0, 2, position, 1024, ranges, new LogPosition(10, 2), null),
            new CatchUpChunk(3, 1, 7, 1, 2, position, 0, [], new LogPosition(10, 2),
                new CatchUpFinal(position, 39, CatchUpMethod.Extents, 10, tail, [new ExtentVersion(0, 41), new ExtentVersion(5, 40)])),
            new ProbeReply(17, 3, position),
            new PromiseGranted(4, position, 39, TimeSpan.FromMilliseconds(750)),
            new PromiseRefused(4, 5),
            new Accepted(3, position, 41, TimeSpan.FromSeconds(5)),
            new LogMismatch(3, position, 39, TimeSpan.FromSeconds(5)),
            new StaleEpoch(3, 4),
            description,
            new CatchUpChunkAck(3, 7, 1, 2, 0, true, position),
            new CatchUpFailed(3, 7, CatchUpFailure.SourceBehind),
        ];
        return all.Select((m, i) => (Name: $"{i:00} {m.GetType().Name}", Message: m)).ToDictionary(x => x.Name, x => x.Message);
    }
}
