using IscsiCluster.Cluster.Transport;
using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Messages;

namespace IscsiCluster.Cluster.Replication;

/// <summary>
/// The replication protocol's messages on the data connections. A payload is the LUN's id, one byte naming the message,
/// then its fields in order; times are the sender's monotonic clock in ticks, echoed back unchanged. Block data is copied
/// out of the frame on reading (the frame's buffer is reused as soon as the handler returns).
/// </summary>
public static class ReplicationCodec
{
    private enum Type : byte
    {
        Probe = 1,
        PromiseRequest = 2,
        Append = 3,
        Heartbeat = 4,
        SyncRequest = 5,
        DescribeLog = 6,
        CatchUpStart = 7,
        CatchUpContinue = 8,
        CatchUpEnd = 9,
        CatchUpChunk = 10,
        Resign = 11,
        ProbeReply = 20,
        PromiseGranted = 21,
        PromiseRefused = 22,
        Accepted = 23,
        LogMismatch = 24,
        StaleEpoch = 25,
        LogDescription = 26,
        CatchUpChunkAck = 27,
        CatchUpFailed = 28,
    }

    /// <summary>Writes (or, with a measuring writer, measures) one message for <paramref name="lunId"/>.</summary>
    public static void Write(ref WireWriter w, ulong lunId, ReplicationMessage message)
    {
        w.UInt64(lunId);
        switch (message)
        {
            case Probe m:
                w.Byte((byte)Type.Probe);
                w.Int64(m.ProbeId);
                break;
            case PromiseRequest m:
                w.Byte((byte)Type.PromiseRequest);
                w.Int64(m.Epoch);
                w.Int32(m.Owner);
                w.Int64(m.Incarnation);
                break;
            case Append m:
                w.Byte((byte)Type.Append);
                w.Int64(m.Epoch);
                w.Int32(m.Owner);
                Position(ref w, m.Previous);
                w.Int32(m.Entries.Count);
                foreach (var entry in m.Entries)
                {
                    w.Int64(entry.Index);
                    w.Int64(entry.Epoch);
                    Ranges(ref w, entry.Ranges);
                }

                w.Int64(m.Committed);
                w.Bool(m.Sync);
                Time(ref w, m.SentAt);
                break;
            case Heartbeat m:
                w.Byte((byte)Type.Heartbeat);
                w.Int64(m.Epoch);
                w.Int32(m.Owner);
                Position(ref w, m.Committed);
                Time(ref w, m.SentAt);
                break;
            case SyncRequest m:
                w.Byte((byte)Type.SyncRequest);
                w.Int64(m.Epoch);
                w.Int32(m.Owner);
                Time(ref w, m.SentAt);
                break;
            case DescribeLog m:
                w.Byte((byte)Type.DescribeLog);
                w.Int64(m.Epoch);
                w.Int32(m.Owner);
                w.Int64(m.Session);
                break;
            case CatchUpStart m:
                w.Byte((byte)Type.CatchUpStart);
                w.Int64(m.Epoch);
                w.Int32(m.Owner);
                w.Int64(m.Session);
                w.Int32(m.Target);
                Description(ref w, m.Description);
                break;
            case CatchUpContinue m:
                w.Byte((byte)Type.CatchUpContinue);
                w.Int64(m.Epoch);
                w.Int32(m.Owner);
                w.Int64(m.Session);
                w.Int32(m.Chunk);
                break;
            case CatchUpEnd m:
                w.Byte((byte)Type.CatchUpEnd);
                w.Int64(m.Epoch);
                w.Int64(m.Session);
                break;
            case Resign m:
                w.Byte((byte)Type.Resign);
                w.Int64(m.Epoch);
                w.Int32(m.Owner);
                break;
            case CatchUpChunk m:
                w.Byte((byte)Type.CatchUpChunk);
                w.Int64(m.Epoch);
                w.Int32(m.Owner);
                w.Int64(m.Session);
                w.Int32(m.Chunk);
                w.Int32(m.ChunkCount);
                Position(ref w, m.Snapshot);
                w.Int64(m.BytesAfter);
                Ranges(ref w, m.Blocks);
                Position(ref w, m.ExpectedTargetLast);
                w.Bool(m.Final is not null);
                if (m.Final is { } final)
                {
                    Position(ref w, final.Position);
                    w.Int64(final.Committed);
                    w.Byte((byte)final.Method);
                    w.Int64(final.SharedIndex);
                    Tail(ref w, final.Tail);
                    w.Int32(final.ExtentVersions.Count);
                    foreach (var version in final.ExtentVersions)
                    {
                        w.Int64(version.Extent);
                        w.Int64(version.Version);
                    }
                }

                break;
            case ProbeReply m:
                w.Byte((byte)Type.ProbeReply);
                w.Int64(m.ProbeId);
                w.Int64(m.Promised);
                Position(ref w, m.Last);
                break;
            case PromiseGranted m:
                w.Byte((byte)Type.PromiseGranted);
                w.Int64(m.Epoch);
                Position(ref w, m.Last);
                w.Int64(m.Committed);
                Time(ref w, m.SinceLeaseAck);
                break;
            case PromiseRefused m:
                w.Byte((byte)Type.PromiseRefused);
                w.Int64(m.Epoch);
                w.Int64(m.Promised);
                break;
            case Accepted m:
                w.Byte((byte)Type.Accepted);
                w.Int64(m.Epoch);
                Position(ref w, m.Last);
                w.Int64(m.Synced);
                Time(ref w, m.SentAt);
                break;
            case LogMismatch m:
                w.Byte((byte)Type.LogMismatch);
                w.Int64(m.Epoch);
                Position(ref w, m.Last);
                w.Int64(m.Committed);
                Time(ref w, m.SentAt);
                break;
            case StaleEpoch m:
                w.Byte((byte)Type.StaleEpoch);
                w.Int64(m.Epoch);
                w.Int64(m.Promised);
                break;
            case LogDescription m:
                w.Byte((byte)Type.LogDescription);
                Description(ref w, m);
                break;
            case CatchUpChunkAck m:
                w.Byte((byte)Type.CatchUpChunkAck);
                w.Int64(m.Epoch);
                w.Int64(m.Session);
                w.Int32(m.Chunk);
                w.Int32(m.ChunkCount);
                w.Int64(m.BytesAfter);
                w.Bool(m.Installed);
                Position(ref w, m.Position);
                break;
            case CatchUpFailed m:
                w.Byte((byte)Type.CatchUpFailed);
                w.Int64(m.Epoch);
                w.Int64(m.Session);
                w.Byte((byte)m.Reason);
                break;
            default:
                throw new ArgumentException($"no encoding for {message.GetType().Name}", nameof(message));
        }
    }

    /// <summary>Reads one message; <see cref="InvalidDataException"/> when the payload is not a well-formed message.</summary>
    public static (ulong LunId, ReplicationMessage Message) Read(ref WireReader r)
    {
        var lunId = r.UInt64();
        ReplicationMessage message = (Type)r.Byte() switch
        {
            Type.Probe => new Probe(r.Int64()),
            Type.PromiseRequest => new PromiseRequest(r.Int64(), r.Int32(), r.Int64()),
            Type.Append => ReadAppend(ref r),
            Type.Heartbeat => new Heartbeat(r.Int64(), r.Int32(), Position(ref r), Time(ref r)),
            Type.SyncRequest => new SyncRequest(r.Int64(), r.Int32(), Time(ref r)),
            Type.DescribeLog => new DescribeLog(r.Int64(), r.Int32(), r.Int64()),
            Type.CatchUpStart => new CatchUpStart(r.Int64(), r.Int32(), r.Int64(), r.Int32(), Description(ref r)),
            Type.CatchUpContinue => new CatchUpContinue(r.Int64(), r.Int32(), r.Int64(), r.Int32()),
            Type.CatchUpEnd => new CatchUpEnd(r.Int64(), r.Int64()),
            Type.CatchUpChunk => ReadChunk(ref r),
            Type.Resign => new Resign(r.Int64(), r.Int32()),
            Type.ProbeReply => new ProbeReply(r.Int64(), r.Int64(), Position(ref r)),
            Type.PromiseGranted => new PromiseGranted(r.Int64(), Position(ref r), r.Int64(), Time(ref r)),
            Type.PromiseRefused => new PromiseRefused(r.Int64(), r.Int64()),
            Type.Accepted => new Accepted(r.Int64(), Position(ref r), r.Int64(), Time(ref r)),
            Type.LogMismatch => new LogMismatch(r.Int64(), Position(ref r), r.Int64(), Time(ref r)),
            Type.StaleEpoch => new StaleEpoch(r.Int64(), r.Int64()),
            Type.LogDescription => Description(ref r),
            Type.CatchUpChunkAck => new CatchUpChunkAck(r.Int64(), r.Int64(), r.Int32(), r.Int32(), r.Int64(), r.Bool(), Position(ref r)),
            Type.CatchUpFailed => new CatchUpFailed(r.Int64(), r.Int64(), Enum<CatchUpFailure>(r.Byte())),
            var other => throw new InvalidDataException($"{(byte)other} is not a replication message"),
        };
        r.End();
        return (lunId, message);
    }

    private static Append ReadAppend(ref WireReader r)
    {
        var epoch = r.Int64();
        var owner = r.Int32();
        var previous = Position(ref r);
        var entries = new LogEntry[r.Count(minItemBytes: 20)];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new LogEntry(r.Int64(), r.Int64(), Ranges(ref r));
        }

        return new Append(epoch, owner, previous, entries, r.Int64(), r.Bool(), Time(ref r));
    }

    private static CatchUpChunk ReadChunk(ref WireReader r)
    {
        var epoch = r.Int64();
        var owner = r.Int32();
        var session = r.Int64();
        var chunk = r.Int32();
        var chunkCount = r.Int32();
        var snapshot = Position(ref r);
        var bytesAfter = r.Int64();
        var blocks = Ranges(ref r);
        var expected = Position(ref r);
        CatchUpFinal? final = null;
        if (r.Bool())
        {
            var position = Position(ref r);
            var committed = r.Int64();
            var method = Enum<CatchUpMethod>(r.Byte());
            var shared = r.Int64();
            var tail = Tail(ref r);
            var versions = new ExtentVersion[r.Count(minItemBytes: 16)];
            for (var i = 0; i < versions.Length; i++)
            {
                versions[i] = new ExtentVersion(r.Int64(), r.Int64());
            }

            final = new CatchUpFinal(position, committed, method, shared, tail, versions);
        }

        return new CatchUpChunk(epoch, owner, session, chunk, chunkCount, snapshot, bytesAfter, blocks, expected, final);
    }

    private static void Position(ref WireWriter w, LogPosition position)
    {
        w.Int64(position.Index);
        w.Int64(position.Epoch);
    }

    private static LogPosition Position(ref WireReader r) => new(r.Int64(), r.Int64());

    private static void Time(ref WireWriter w, TimeSpan time) => w.Int64(time.Ticks);

    private static TimeSpan Time(ref WireReader r) => TimeSpan.FromTicks(r.Int64());

    private static void Ranges(ref WireWriter w, IReadOnlyList<WriteRange> ranges)
    {
        w.Int32(ranges.Count);
        foreach (var range in ranges)
        {
            w.Int64(range.Offset);
            w.Int32(range.Length);
            w.Bool(!range.IsZero);
            if (!range.IsZero)
            {
                w.Bytes(range.Data.Span);
            }
        }
    }

    private static WriteRange[] Ranges(ref WireReader r)
    {
        var ranges = new WriteRange[r.Count(minItemBytes: 13)];
        for (var i = 0; i < ranges.Length; i++)
        {
            var offset = r.Int64();
            var length = r.Int32();
            ranges[i] = r.Bool() ? new WriteRange(offset, length, r.Bytes()) : WriteRange.Zero(offset, length);
        }

        return ranges;
    }

    private static void Tail(ref WireWriter w, IReadOnlyList<EntryMetadata> tail)
    {
        w.Int32(tail.Count);
        foreach (var entry in tail)
        {
            w.Int64(entry.Index);
            w.Int64(entry.Epoch);
            w.Int32(entry.Ranges.Count);
            foreach (var range in entry.Ranges)
            {
                w.Int64(range.Offset);
                w.Int32(range.Length);
            }
        }
    }

    private static EntryMetadata[] Tail(ref WireReader r)
    {
        var tail = new EntryMetadata[r.Count(minItemBytes: 20)];
        for (var i = 0; i < tail.Length; i++)
        {
            var index = r.Int64();
            var epoch = r.Int64();
            var ranges = new ByteRange[r.Count(minItemBytes: 12)];
            for (var j = 0; j < ranges.Length; j++)
            {
                ranges[j] = new ByteRange(r.Int64(), r.Int32());
            }

            tail[i] = new EntryMetadata(index, epoch, ranges);
        }

        return tail;
    }

    private static void Description(ref WireWriter w, LogDescription d)
    {
        w.Int64(d.Epoch);
        w.Int64(d.Session);
        Position(ref w, d.Last);
        w.Int64(d.Committed);
        Tail(ref w, d.Tail);
        w.Int32(d.ModifiedExtents.Count);
        foreach (var extent in d.ModifiedExtents)
        {
            w.Int64(extent);
        }
    }

    private static LogDescription Description(ref WireReader r)
    {
        var epoch = r.Int64();
        var session = r.Int64();
        var last = Position(ref r);
        var committed = r.Int64();
        var tail = Tail(ref r);
        var extents = new long[r.Count(minItemBytes: 8)];
        for (var i = 0; i < extents.Length; i++)
        {
            extents[i] = r.Int64();
        }

        return new LogDescription(epoch, session, last, committed, tail, extents);
    }

    private static T Enum<T>(byte value)
        where T : struct, Enum =>
        System.Enum.IsDefined(typeof(T), (int)value) ? (T)(object)(int)value : throw new InvalidDataException($"{value} is not a {typeof(T).Name}");
}

/// <summary>One replication message for one LUN, as a data-connection frame.</summary>
public sealed class ReplicationFrame : IOutgoingFrame
{
    /// <summary>The frame kind of replication messages.</summary>
    public const byte FrameKind = Handshake.FirstUserKind;

    private readonly ulong _lunId;
    private readonly ReplicationMessage _message;

    public ReplicationFrame(ulong lunId, ReplicationMessage message)
    {
        _lunId = lunId;
        _message = message;
        var measure = new WireWriter(null);
        ReplicationCodec.Write(ref measure, lunId, message);
        PayloadLength = measure.Length;
    }

    public byte Kind => FrameKind;

    public int PayloadLength { get; }

    public void WritePayload(System.Buffers.IBufferWriter<byte> output)
    {
        var writer = new WireWriter(output);
        ReplicationCodec.Write(ref writer, _lunId, _message);
    }
}
