using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Owner;

namespace IscsiCluster.Replication.Tests.Simulation;

/// <summary>A client write as the clients saw it, plus where the owner placed it in the log.</summary>
internal sealed class WriteRecord(int id, IReadOnlyDictionary<int, bool> blocks, long issuedAt, int node, bool fua)
{
    public int Id { get; } = id;

    /// <summary>Each block it writes, and whether it zeroes it (unmap) rather than writing its own value.</summary>
    public IReadOnlyDictionary<int, bool> Blocks { get; } = blocks;

    public long IssuedAt { get; } = issuedAt;

    public int Node { get; } = node;

    public bool Fua { get; } = fua;

    /// <summary>An owner accepted it into its log at (<see cref="Epoch"/>, <see cref="Index"/>).</summary>
    public bool Submitted { get; set; }

    public long Epoch { get; set; }

    public long Index { get; set; }

    public long? AckedAt { get; set; }

    public long? FailedAt { get; set; }

    public CompletionStatus? Status { get; set; }

    public LogPosition Position() => new(Index, Epoch);

    /// <summary>Order of writes in a log: by epoch, then index (epochs never decrease along a log).</summary>
    public (long Epoch, long Index) Key => (Epoch, Index);

    public override string ToString() =>
        $"w{Id}[{string.Join(",", Blocks.Select(b => b.Value ? $"{b.Key}:0" : $"{b.Key}"))}] at {Index}@{Epoch} via n{Node} "
        + $"issued {IssuedAt} " + (AckedAt is { } a ? $"acked {a}" : FailedAt is { } f ? $"failed {f} {Status}" : "pending");
}

/// <summary>A client read: the blocks, when it started and ended, and what it returned for each block.</summary>
internal sealed class ReadRecord(int id, int firstBlock, int count, long issuedAt, int node)
{
    public int Id { get; } = id;

    public int FirstBlock { get; } = firstBlock;

    public int Count { get; } = count;

    public long IssuedAt { get; } = issuedAt;

    public int Node { get; } = node;

    public long? EndedAt { get; set; }

    /// <summary>The write each block showed (0: zeros); null unless the read succeeded.</summary>
    public int[]? Values { get; set; }

    public override string ToString() =>
        $"r{Id}[{FirstBlock}..{FirstBlock + Count - 1}] via n{Node} issued {IssuedAt} ended {EndedAt} -> "
        + (Values is null ? "failed" : string.Join(",", Values.Select(v => $"w{v}")));
}

/// <summary>A SYNCHRONIZE CACHE: when it was issued, and whether (and by the owner of which epoch) it succeeded.</summary>
internal sealed class FlushRecord(long issuedAt)
{
    public long IssuedAt { get; } = issuedAt;

    public bool Succeeded { get; set; }

    public long Epoch { get; set; }
}

/// <summary>Everything the clients did, for the checks.</summary>
internal sealed class History
{
    public List<FlushRecord> Flushes { get; } = [];

    /// <summary>
    /// Must this acknowledged write survive a power loss? A FUA write was synced on a majority before it was acknowledged. A
    /// SYNCHRONIZE CACHE makes durable what its owner acknowledged before it was issued. Not what an older owner
    /// acknowledged: a power loss may have taken such a write (never synced on a majority) from the replicas the new owner
    /// recovered from, as a disk's cache is lost at power-off; the host reports the move with a unit attention.
    /// </summary>
    public bool Durable(WriteRecord write) =>
        write.AckedAt is { } acked && (write.Fua || Flushes.Any(f => f.Succeeded && f.IssuedAt > acked && f.Epoch == write.Epoch));

    public List<WriteRecord> Writes { get; } = [];

    public List<ReadRecord> Reads { get; } = [];

    public WriteRecord? Write(int id) => id > 0 && id <= Writes.Count ? Writes[id - 1] : null;
}
