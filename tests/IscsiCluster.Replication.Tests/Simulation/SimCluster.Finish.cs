using IscsiCluster.Replication.Owner;

namespace IscsiCluster.Replication.Tests.Simulation;

/// <summary>
/// The end of a schedule: heal every fault, let one owner take over and every replica catch up (a liveness check: it must
/// happen within a bound), then check that all replicas hold the same bytes and that the final contents keep every
/// acknowledged write, whole.
/// </summary>
internal sealed partial class SimCluster
{
    private const long ConvergenceLimit = 20_000_000;

    public void Finish()
    {
        if (Violations.Count > 0)
        {
            return;
        }

        Trace("finish: healing everything");
        Heal();
        Hold = null;
        ShardingUnreachable.Clear();
        foreach (var (from, to, message) in Held.ToArray())
        {
            ScheduleDelivery(from, Node(to), message, Now + Config.MinDelayMicros);
        }

        Held.Clear();
        Loss = 0;
        Duplication = 0;
        LongDelay = 0;
        foreach (var node in Nodes)
        {
            node.PausedUntil = Math.Min(node.PausedUntil, Now);
            Restart(node.Id);
        }

        AutoFailover = true;
        if (Designated.Count != 1)
        {
            Designate(Primary ?? 1);
        }

        if (!RunUntil(Converged, ConvergenceLimit))
        {
            if (Violations.Count == 0)
            {
                Violation($"liveness: no convergence within {ConvergenceLimit / 1_000_000} s; {DescribeState()}");
            }

            return;
        }

        var primary = Node(Primary!.Value);
        var contents = primary.Store.Inner.Contents();
        foreach (var node in Nodes.Where(n => n != primary))
        {
            var other = node.Store.Inner.Contents();
            if (!other.AsSpan().SequenceEqual(contents))
            {
                Violation($"(1) replica n{node.Id} holds other bytes than the owner n{primary.Id} once in sync: "
                    + $"[{string.Join(",", Decode(other, 0, SimConfig.Blocks))}] vs [{string.Join(",", Decode(contents, 0, SimConfig.Blocks))}]");
                return;
            }
        }

        if (Checker.CheckFinal(History, Decode(contents, 0, SimConfig.Blocks), Config.PowerLoss) is { } problem)
        {
            Violation(problem);
        }
    }

    /// <summary>One owner serving, every replica in sync at its last entry, nothing pending, no other node hosting an owner.</summary>
    public bool Converged()
    {
        if (Primary is not { } primary || Node(primary).Owner is not { } owner || owner.State != OwnerState.Serving)
        {
            return false;
        }

        var status = owner.Status(Node(primary).Clock(Now));
        if (status.CommittedIndex != status.LastIndex
            || status.Replicas.Any(r => r.Health != ReplicaHealth.InSync || r.MatchIndex != status.LastIndex))
        {
            return false;
        }

        return Nodes.All(n => n.Id == primary || n.Owner is null)
            && Nodes.All(n => n.Replica is { } replica && replica.Last.Index == status.LastIndex);
    }

    public string DescribeState()
    {
        var parts = new List<string> { $"designated [{string.Join(",", Designated)}]" };
        foreach (var node in Nodes)
        {
            var text = $"n{node.Id}: {(node.Down ? "down" : "up")} replica {node.Replica?.Last} promised {node.Replica?.Promised}";
            if (node.Owner is { } owner)
            {
                var status = owner.Status(node.Clock(Now));
                text += $" owner e{status.Epoch} {status.State} last {status.LastIndex} committed {status.CommittedIndex} "
                    + string.Join(" ", status.Replicas.Select(r => $"r{r.Replica}:{r.Health}@{r.MatchIndex}"
                        + (r.Progress is { } p ? $"({p.EntriesBehind}e,{p.BytesLeft}b)" : "")));
            }

            parts.Add(text);
        }

        return string.Join("; ", parts);
    }
}
