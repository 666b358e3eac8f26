using IscsiCluster.Replication.Messages;
using IscsiCluster.Replication.Owner;

namespace IscsiCluster.Replication.Tests.Simulation;

/// <summary>The simulated network: per-message loss, delay (hence reordering), duplication, long delays, and cut links.</summary>
internal sealed partial class SimCluster
{
    /// <summary>Cuts every link between <paramref name="side"/> and the other nodes, both ways.</summary>
    public void Partition(params int[] side)
    {
        foreach (var a in side)
        {
            foreach (var b in Nodes.Select(n => n.Id).Where(id => !side.Contains(id)))
            {
                _cut.Add((a, b));
                _cut.Add((b, a));
            }
        }

        Trace($"partition [{string.Join(",", side)}] from the rest");
    }

    public void Heal()
    {
        _cut.Clear();
        Trace("partitions healed");
    }

    /// <summary>Messages sent, by type (and by method for the chunks that install a catch-up).</summary>
    public Dictionary<string, long> MessageCounts { get; } = [];

    public bool Connected(int a, int b) => a == b || !_cut.Contains((a, b));

    /// <summary>Delivers held messages matching <paramref name="which"/> now (after the usual latency), in the order they were held.</summary>
    public void Release(Func<int, int, ReplicationMessage, bool> which)
    {
        foreach (var held in Held.Where(h => which(h.From, h.To, h.Message)).ToArray())
        {
            Held.Remove(held);
            ScheduleDelivery(held.From, Node(held.To), held.Message, Now + Config.MinDelayMicros);
        }
    }

    private void Send(SimNode from, IReadOnlyList<Outgoing> messages)
    {
        foreach (var message in messages)
        {
            Send(from, message.To, message.Message);
        }
    }

    private void Send(SimNode from, int toId, ReplicationMessage message)
    {
        MessagesSent++;
        var kind = message is CatchUpChunk { Final: { } final } ? $"CatchUpChunk.Final.{final.Method}" : message.GetType().Name;
        MessageCounts[kind] = MessageCounts.GetValueOrDefault(kind) + 1;
        var to = Node(toId);
        if (to == from)
        {
            // The owner and its own replica share a process: in order, no loss.
            var at = Math.Max(Now + 20, from.LastLocalDelivery + 1);
            from.LastLocalDelivery = at;
            ScheduleDelivery(from.Id, to, message, at);
            return;
        }

        if (!Connected(from.Id, toId))
        {
            return;
        }

        if (Hold is not null && Hold(from.Id, toId, message))
        {
            Held.Add((from.Id, toId, message));
            Trace($"held n{from.Id}->n{toId} {Describe(message)}");
            return;
        }

        if (Random.Chance(Loss))
        {
            return;
        }

        ScheduleDelivery(from.Id, to, message, Now + Latency());
        if (Random.Chance(Duplication))
        {
            ScheduleDelivery(from.Id, to, message, Now + Latency());
        }
    }

    private long Latency()
    {
        var latency = Config.MinDelayMicros + Random.Range(0, Config.MaxJitterMicros);
        return Random.Chance(LongDelay) ? latency + Random.Range(300_000, 1_500_000) : latency;
    }

    private void ScheduleDelivery(int from, SimNode to, ReplicationMessage message, long at) => OnNode(to, at, () =>
    {
        if (!Connected(from, to.Id))
        {
            return;
        }

        Trace($"n{to.Id}<-n{from} {Describe(message)}");
        var now = to.Clock(Now);
        if (message is ToReplicaMessage)
        {
            Send(to, to.Replica!.Handle(from, message, now));
        }
        else if (to.Owner is { } owner)
        {
            Process(to, owner, owner.Handle(from, message, now));
        }
    });

    /// <summary>Compact text of a message for traces.</summary>
    private static string Describe(ReplicationMessage message) => message switch
    {
        Append a => $"Append(e{a.Epoch} prev {a.Previous} [{string.Join(",", a.Entries.Select(e => e.Index))}] c{a.Committed}{(a.Sync ? " sync" : "")})",
        CatchUpChunk c => $"CatchUpChunk(e{c.Epoch} s{c.Session} {c.Chunk}/{c.ChunkCount} at {c.Snapshot} expect {c.ExpectedTargetLast}"
            + (c.Final is { } f ? $" final {f.Method} shared {f.SharedIndex} tail [{string.Join(",", f.Tail.Select(t => t.Position))}])" : ")"),
        LogDescription d => $"LogDescription(e{d.Epoch} s{d.Session} last {d.Last} c{d.Committed} tail [{string.Join(",", d.Tail.Select(t => t.Position))}] ext [{string.Join(",", d.ModifiedExtents)}])",
        CatchUpStart s => $"CatchUpStart(e{s.Epoch} s{s.Session} target n{s.Target})",
        _ => message.ToString(),
    };

    private void Process(SimNode node, OwnerCore owner, OwnerOutput output)
    {
        Send(node, output.Messages);
        foreach (var assigned in output.Assigned)
        {
            if (History.Write((int)assigned.Tag) is { } write)
            {
                write.Submitted = true;
                write.Epoch = assigned.Position.Epoch;
                write.Index = assigned.Position.Index;
            }
        }

        foreach (var completion in output.Completions)
        {
            Complete(completion, owner.Epoch);
        }

        if (output.StateChanged)
        {
            Trace($"n{node.Id} owner e{owner.Epoch} is {output.State}");
        }
    }
}
