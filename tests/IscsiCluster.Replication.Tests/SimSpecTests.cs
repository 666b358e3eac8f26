using FsCheck;
using FsCheck.Fluent;
using IscsiCluster.Replication.Tests.Simulation;

namespace IscsiCluster.Replication.Tests;

/// <summary>The one number a failure prints must replay exactly the schedule that failed.</summary>
public sealed class SimSpecTests
{
    [Fact]
    public void EverySpecSurvivesPackingIntoOneNumber() =>
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(
            SimulationTests.Specs().ToArbitrary(),
            Gen.Elements(ProtocolBreakage.None, ProtocolBreakage.SkipLeaseWait, ProtocolBreakage.SkipPredecessorCheck | ProtocolBreakage.AcknowledgeOnOwnReplicaOnly, ProtocolBreakage.ResignWhileServing).ToArbitrary(),
            (spec, breakage) => SimSpec.Unpack((spec with { Breakage = breakage }).Pack()) == spec with { Breakage = breakage }));

    [Fact]
    public void TheSameSeedReplaysTheSameScheduleStepForStep()
    {
        var spec = new SimSpec(42, 5, 2, 2, 3, 2, 2, 2, 2, 2, 30, 0, true, ProtocolBreakage.None);
        var first = new List<string>();
        var second = new List<string>();
        Schedule.Run(spec, first.Add);
        Schedule.Run(spec, second.Add);
        Assert.True(first.Count > 100);
        Assert.Equal(first, second);
    }

    [Fact]
    public void BlockValuesNameTheirWriteAndBlock()
    {
        var bytes = new byte[BlockData.BlockBytes];
        BlockData.Encode(1234, 7, bytes);
        Assert.Equal(1234, BlockData.Decode(bytes, 7));
        Assert.Equal(-1, BlockData.Decode(bytes, 8));
        Assert.Equal(0, BlockData.Decode(new byte[BlockData.BlockBytes], 3));
    }
}
