using IscsiCluster.Replication.Owner;

namespace IscsiCluster.Replication.Tests.Simulation;

/// <summary>Helpers for scripted scenarios: a quiet network, waiting for a state, writing and waiting for the answer.</summary>
internal static class Scripted
{
    public const long Second = 1_000_000;
    public const long Millisecond = 1_000;

    public static SimCluster Cluster(int replicas = 3, int sizes = 0, ulong seed = 1, ProtocolBreakage breakage = ProtocolBreakage.None) =>
        new(SimConfig.For(replicas, sizes, breakage), new SimRandom(seed));

    public static void Serving(this SimCluster sim, int node)
    {
        if (sim.Primary != node)
        {
            sim.Designate(node);
        }

        Assert.True(sim.RunUntil(() => sim.Owner(node)?.State == OwnerState.Serving, 3 * Second), $"n{node} never served; {sim.DescribeState()}");
    }

    public static WriteRecord WriteBlocks(this SimCluster sim, int node, int first, int count = 1, bool fua = false) =>
        sim.Write(node, [(first, count, false)], fua);

    public static WriteRecord Acknowledged(this SimCluster sim, WriteRecord write, long limit = 3 * Second)
    {
        Assert.True(sim.RunUntil(() => write.AckedAt is not null || write.FailedAt is not null, limit), sim.DescribeState());
        Assert.True(write.AckedAt is not null, $"{write} was not acknowledged; {sim.DescribeState()}");
        return write;
    }

    public static int[] Blocks(this SimCluster sim, int node) => SimCluster.Decode(sim.Node(node).Store.Inner.Contents(), 0, SimConfig.Blocks);

    public static OwnerStatus Status(this SimCluster sim, int node) => sim.Owner(node)!.Status(sim.Node(node).Clock(sim.Now));

    public static void NoViolation(this SimCluster sim) => Assert.True(sim.Violations.Count == 0, string.Join("\n", sim.Violations));

    /// <summary>Heals, converges, runs the final checks, and asserts none failed.</summary>
    public static void FinishCleanly(this SimCluster sim)
    {
        sim.Finish();
        sim.NoViolation();
    }
}
