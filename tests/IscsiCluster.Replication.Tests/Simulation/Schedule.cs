namespace IscsiCluster.Replication.Tests.Simulation;

/// <summary>
/// A random schedule from a <see cref="SimSpec"/>: client operations at random times through whichever node the clients
/// believe owns the LUN, and the spec's faults (crashes and restarts of the owner or others, pauses past the lease,
/// partitions isolating the owner or a minority, hand-offs that briefly leave two nodes designated), then
/// <see cref="SimCluster.Finish"/>. Everything comes from the spec's one number.
/// </summary>
internal static class Schedule
{
    private const long Start = 300_000;

    public static SimCluster Run(SimSpec spec, Action<string>? trace = null)
    {
        var random = new SimRandom(spec.Pack());
        var sim = new SimCluster(SimConfig.For(spec), random, trace);
        var nodes = spec.Replicas;
        sim.Designate((int)random.Range(1, nodes));

        var operations = 10 + spec.Operations;
        var duration = Start + (operations * 40_000L);
        for (var i = 0; i < operations; i++)
        {
            sim.At(random.Range(Start, duration), () => Operation(sim, spec));
        }

        for (var i = 0; i < spec.Crashes; i++)
        {
            var at = random.Range(Start, duration);
            var down = random.Range(50_000, 600_000);
            sim.At(at, () =>
            {
                var victim = Victim(sim, 0.5);
                if (spec.PowerLoss && sim.Random.Chance(0.5))
                {
                    sim.PowerFailure(victim);
                }
                else
                {
                    sim.Crash(victim);
                }

                sim.At(sim.Now + down, () => sim.Restart(victim));
            });
        }

        for (var i = 0; i < spec.Pauses; i++)
        {
            var at = random.Range(Start, duration);
            var length = random.Range(100_000, 700_000);
            sim.At(at, () => sim.Pause(Victim(sim, 0.6), length));
        }

        for (var i = 0; i < spec.Partitions; i++)
        {
            var at = random.Range(Start, duration);
            var length = random.Range(100_000, 700_000);
            sim.At(at, () =>
            {
                if (sim.Random.Chance(0.5) && sim.Primary is { } primary)
                {
                    sim.Partition(primary);
                }
                else
                {
                    var size = (int)sim.Random.Range(1, (nodes - 1) / 2);
                    sim.Partition(Enumerable.Range(1, nodes).OrderBy(_ => sim.Random.NextULong()).Take(size).ToArray());
                }

                sim.At(sim.Now + length, sim.Heal);
            });
        }

        for (var i = 0; i < spec.Handoffs; i++)
        {
            var at = random.Range(Start, duration);
            sim.At(at, () =>
            {
                var current = sim.Primary ?? 1;
                var next = Other(sim, current);
                if (sim.Random.Chance(0.5))
                {
                    sim.Designate(next);
                }
                else
                {
                    // Sharding hand-off under a partition: both nodes believe they own the LUN for a while.
                    sim.Designate(next, current);
                    sim.At(sim.Now + sim.Random.Range(50_000, 300_000), () => sim.Designate(sim.Primary ?? next));
                }
            });
        }

        sim.RunUntil(duration + 200_000);
        sim.Finish();
        return sim;
    }

    private static void Operation(SimCluster sim, SimSpec spec)
    {
        var random = sim.Random;
        var (write, read, fua) = spec.OpMix switch
        {
            1 => (0.30, 0.95, 0.05),
            2 => (0.45, 0.90, 0.30),
            3 => (0.50, 0.70, 0.50),
            _ => (0.60, 0.90, 0.10),
        };
        var roll = random.NextDouble();
        var node = sim.ClientTarget();
        if (roll < write)
        {
            var runs = new List<(int, int, bool)>();
            var first = random.Next(SimConfig.Blocks);
            var count = Math.Min((int)random.Range(1, 3), SimConfig.Blocks - first);
            runs.Add((first, count, spec.MultiRange && random.Chance(0.15)));
            if (spec.MultiRange && random.Chance(0.3))
            {
                var second = random.Next(SimConfig.Blocks);
                var secondCount = Math.Min((int)random.Range(1, 2), SimConfig.Blocks - second);
                if (second + secondCount <= first || second >= first + count)
                {
                    runs.Add((second, secondCount, random.Chance(0.15)));
                }
            }

            sim.Write(node, runs, random.Chance(fua));
        }
        else if (roll < read)
        {
            var first = random.Next(SimConfig.Blocks);
            sim.Read(node, first, Math.Min((int)random.Range(1, 4), SimConfig.Blocks - first));
        }
        else
        {
            sim.Flush(node);
        }
    }

    private static int Victim(SimCluster sim, double primaryBias) =>
        sim.Primary is { } primary && sim.Random.Chance(primaryBias) ? primary : (int)sim.Random.Range(1, sim.Nodes.Count);

    private static int Other(SimCluster sim, int node)
    {
        var other = (int)sim.Random.Range(1, sim.Nodes.Count - 1);
        return other >= node ? other + 1 : other;
    }
}
