using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Owner;

namespace IscsiCluster.Replication.Tests.Simulation;

/// <summary>
/// Initiators: writes with values unique to each write and block, reads, and SYNCHRONIZE CACHE, sent through one node's
/// portal. The host side mirrors the LUN actor: a write goes to the owner's Submit; a read asks CanRead, reads the local
/// replica a little later (a pause may fall in between), and answers only if the lease is still valid then.
/// </summary>
internal sealed partial class SimCluster
{
    private const long ClientLatency = 1_000;
    private const long FlushTagBase = 1L << 40;

    public int FlushesSucceeded => History.Flushes.Count(f => f.Succeeded);

    /// <summary>Where a client sends its next command: the primary, or sometimes (a stale path) the previous one.</summary>
    public int ClientTarget() =>
        PreviousPrimary is { } previous && Random.Chance(0.15) ? previous : Primary ?? (int)Random.Range(1, Nodes.Count);

    /// <summary>Issues a write of the given runs of blocks (zero: an unmap of the run) through node <paramref name="nodeId"/>.</summary>
    public WriteRecord Write(int nodeId, IReadOnlyList<(int First, int Count, bool Zero)> runs, bool fua = false)
    {
        var blocks = new Dictionary<int, bool>();
        foreach (var (first, count, zero) in runs)
        {
            for (var b = first; b < first + count; b++)
            {
                blocks[b] = zero;
            }
        }

        var write = new WriteRecord(History.Writes.Count + 1, blocks, Now, nodeId, fua);
        History.Writes.Add(write);
        var node = Node(nodeId);
        if (node.Down)
        {
            Fail(write, CompletionStatus.NotServing);
            return write;
        }

        var ranges = runs.Select(run => Range(write.Id, run)).ToArray();
        OnNode(node, Now + ClientLatency, () =>
        {
            if (node.Owner is not { } owner)
            {
                Fail(write, CompletionStatus.NotServing);
                return;
            }

            Trace($"n{nodeId} write {write}");
            Process(node, owner, owner.Submit(new WriteRequest(write.Id, ranges, fua), node.Clock(Now)));
        });
        return write;
    }

    /// <summary>Issues a read of <paramref name="count"/> blocks from <paramref name="first"/> through node <paramref name="nodeId"/>.</summary>
    public ReadRecord Read(int nodeId, int first, int count)
    {
        var read = new ReadRecord(History.Reads.Count + 1, first, count, Now, nodeId);
        History.Reads.Add(read);
        var node = Node(nodeId);
        if (node.Down)
        {
            read.EndedAt = Now;
            return read;
        }

        OnNode(node, Now + ClientLatency, () =>
        {
            if (node.Owner is not { } owner || !owner.CanRead(node.Clock(Now)))
            {
                read.EndedAt = Now;
                return;
            }

            var acknowledged = owner.CommittedIndex;
            var delay = Random.Chance(0.05) ? Random.Range(5_000, 30_000) : Random.Range(0, 2_000);
            OnNode(node, Now + delay, () =>
            {
                var data = node.Replica!.Read([new ByteRange(first * BlockData.BlockBytes, count * BlockData.BlockBytes)]);
                if (data.Position.Index < acknowledged)
                {
                    Violation($"(2) n{nodeId}'s replica ends at {data.Position}, before the {acknowledged} writes its owner acknowledged");
                }

                var values = Decode(data.Data[0].Span, first, count);
                OnNode(node, Now + Random.Range(0, 500), () =>
                {
                    read.EndedAt = Now;
                    if (node.Owner == owner && owner.LeaseValidAt(node.Clock(Now)))
                    {
                        read.Values = values;
                        Trace($"n{nodeId} read {read}");
                        if (Checker.CheckRead(History, read, Config.PowerLoss) is { } problem)
                        {
                            Violation(problem);
                        }
                    }
                });
            });
        });
        return read;
    }

    /// <summary>Issues SYNCHRONIZE CACHE through node <paramref name="nodeId"/>.</summary>
    public void Flush(int nodeId)
    {
        var tag = FlushTagBase + History.Flushes.Count;
        History.Flushes.Add(new FlushRecord(Now));
        var node = Node(nodeId);
        if (node.Down)
        {
            return;
        }

        OnNode(node, Now + ClientLatency, () =>
        {
            if (node.Owner is { } owner)
            {
                Process(node, owner, owner.Flush(tag, node.Clock(Now)));
            }
        });
    }

    public static int[] Decode(ReadOnlySpan<byte> bytes, int first, int count)
    {
        var values = new int[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = BlockData.Decode(bytes.Slice(i * BlockData.BlockBytes, BlockData.BlockBytes), first + i);
        }

        return values;
    }

    private static WriteRange Range(int writeId, (int First, int Count, bool Zero) run)
    {
        var offset = (long)run.First * BlockData.BlockBytes;
        var length = run.Count * BlockData.BlockBytes;
        if (run.Zero)
        {
            return WriteRange.Zero(offset, length);
        }

        var data = new byte[length];
        for (var i = 0; i < run.Count; i++)
        {
            BlockData.Encode(writeId, run.First + i, data.AsSpan(i * BlockData.BlockBytes, BlockData.BlockBytes));
        }

        return new WriteRange(offset, length, data);
    }

    private void Complete(Completion completion, long epoch)
    {
        if (completion.Tag >= FlushTagBase)
        {
            var flush = History.Flushes[(int)(completion.Tag - FlushTagBase)];
            if (completion.Status == CompletionStatus.Succeeded)
            {
                flush.Succeeded = true;
                flush.Epoch = epoch;
                Trace($"flush issued at {flush.IssuedAt} succeeded in epoch {epoch}");
            }

            return;
        }

        if (History.Write((int)completion.Tag) is not { } write || write.AckedAt is not null || write.FailedAt is not null)
        {
            return;
        }

        if (completion.Status == CompletionStatus.Succeeded)
        {
            write.AckedAt = Now;
            Trace($"acked {write}");
        }
        else
        {
            Fail(write, completion.Status);
        }
    }

    private void Fail(WriteRecord write, CompletionStatus status)
    {
        write.FailedAt = Now;
        write.Status = status;
    }
}
