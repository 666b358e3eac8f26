namespace IscsiCluster.Replication.Tests.Simulation;

/// <summary>What a batch of schedules exercised, so that a green run can be told from one where nothing happened.</summary>
internal sealed class SimTotals
{
    public long Schedules { get; private set; }

    public long Steps { get; private set; }

    public long Messages { get; private set; }

    public long Writes { get; private set; }

    public long WritesAcknowledged { get; private set; }

    public long Reads { get; private set; }

    public long ReadsServed { get; private set; }

    public long Flushes { get; private set; }

    public long Epochs { get; private set; }

    public Dictionary<string, long> MessageCounts { get; } = [];

    public Dictionary<string, long> Outcomes { get; } = [];

    public void Add(SimCluster sim)
    {
        foreach (var (kind, count) in sim.MessageCounts)
        {
            MessageCounts[kind] = MessageCounts.GetValueOrDefault(kind) + count;
        }

        foreach (var write in sim.History.Writes)
        {
            var outcome = write.AckedAt is not null ? "acked" : write.Status?.ToString() ?? (write.Submitted ? "pending" : "lost-before-owner");
            Outcomes[outcome] = Outcomes.GetValueOrDefault(outcome) + 1;
        }

        Schedules++;
        Steps += sim.Steps;
        Messages += sim.MessagesSent;
        Writes += sim.History.Writes.Count;
        WritesAcknowledged += sim.History.Writes.Count(w => w.AckedAt is not null);
        Reads += sim.History.Reads.Count;
        ReadsServed += sim.History.Reads.Count(r => r.Values is not null);
        Flushes += sim.FlushesSucceeded;
        Epochs += sim.Nodes.Max(n => n.Store.Inner.Promised);
    }

    public override string ToString() =>
        $"{Steps} steps, {Messages} messages, writes {WritesAcknowledged}/{Writes} acknowledged, reads {ReadsServed}/{Reads} served, "
        + $"{Flushes} flushes, {Epochs} epochs\n  write outcomes: {string.Join(", ", Outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}"
        + $"\n  messages: {string.Join(", ", MessageCounts.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}";
}
