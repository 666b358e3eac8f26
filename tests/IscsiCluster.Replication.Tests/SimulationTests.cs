using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using IscsiCluster.Replication.Tests.Simulation;
using Xunit.Abstractions;

namespace IscsiCluster.Replication.Tests;

/// <summary>
/// The deterministic simulation over random schedules (see README.md): FsCheck generates each schedule's fault mix,
/// operation mix and seed; every check runs after every step and at the end; a failure names the seed that replays it.
/// </summary>
public sealed class SimulationTests(ITestOutputHelper output)
{
    /// <summary>Environment variable: how many schedules the random suite runs (default 10,000).</summary>
    public const string SchedulesVariable = "ISCSI_CLUSTER_SIM_SCHEDULES";

    /// <summary>Environment variable: the one schedule <see cref="ReplaySeed"/> replays, step by step.</summary>
    public const string SeedVariable = "ISCSI_CLUSTER_SIM_SEED";

    private const int DefaultSchedules = 10_000;

    internal static Gen<SimSpec> Specs(ProtocolBreakage breakage = ProtocolBreakage.None) =>
        from seed in Gen.Choose(0, int.MaxValue)
        from five in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from loss in Gen.Choose(0, 3)
        from duplication in Gen.Choose(0, 3)
        from delay in Gen.Choose(0, 3)
        from crashes in Gen.Choose(0, 3)
        from pauses in Gen.Choose(0, 3)
        from partitions in Gen.Choose(0, 3)
        from handoffs in Gen.Choose(0, 3)
        from mix in Gen.Choose(0, 3)
        from operations in Gen.Choose(0, 40)
        from sizes in Gen.Choose(0, 3)
        from multiRange in Gen.Elements(false, true)
        from powerLoss in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new SimSpec((uint)seed, five ? 5 : 3, loss, duplication, delay, crashes, pauses, partitions, handoffs, mix, operations, sizes, multiRange, breakage, powerLoss);

    [Fact]
    public void RandomSchedulesKeepEveryInvariant()
    {
        var schedules = int.TryParse(Environment.GetEnvironmentVariable(SchedulesVariable), out var n) && n > 0 ? n : DefaultSchedules;
        var stopwatch = Stopwatch.StartNew();
        var totals = new SimTotals();
        var property = Prop.ForAll(Specs().ToArbitrary(), spec =>
        {
            var sim = Schedule.Run(spec);
            totals.Add(sim);
            if (sim.Violations.Count > 0)
            {
                throw new SimulationFailure(spec, sim.Violations[0]);
            }
        });
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(schedules).WithQuietOnSuccess(true), property);
        output.WriteLine($"{schedules} schedules in {stopwatch.Elapsed.TotalSeconds:F1} s: {totals}");
    }

    [Fact]
    public void ReplaySeed()
    {
        if (!ulong.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var packed))
        {
            output.WriteLine($"Set {SeedVariable}=N to replay one schedule step by step.");
            return;
        }

        var spec = SimSpec.Unpack(packed);
        output.WriteLine($"replaying {spec}");
        var sim = Schedule.Run(spec, output.WriteLine);
        output.WriteLine(sim.DescribeState());
        Assert.True(sim.Violations.Count == 0, sim.Violations.Count > 0 ? new SimulationFailure(spec, sim.Violations[0]).Message : null);
    }
}
