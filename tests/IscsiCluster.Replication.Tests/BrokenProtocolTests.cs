using IscsiCluster.Replication.Tests.Simulation;
using Xunit.Abstractions;

namespace IscsiCluster.Replication.Tests;

/// <summary>
/// The checks can fail: with a deliberately broken protocol the simulation must report a violation, with a seed that replays
/// it. Each search walks the same seeded sequence of schedules, so the seed found is stable.
/// </summary>
public sealed class BrokenProtocolTests(ITestOutputHelper output)
{
    private const int Limit = 3000;

    [Fact]
    public void AnOwnerThatAcknowledgesOnItsOwnReplicaOnlyIsCaught() => Caught(ProtocolBreakage.AcknowledgeOnOwnReplicaOnly);

    [Fact]
    public void AReplicaThatSkipsThePredecessorCheckIsCaught() => Caught(ProtocolBreakage.SkipPredecessorCheck);

    [Fact]
    public void AnOwnerThatServesWithoutWaitingOutTheLeaseIsCaught() => Caught(ProtocolBreakage.SkipLeaseWait);

    [Fact]
    public void AnOwnerThatResignsWhileItStillServesIsCaught() => Caught(ProtocolBreakage.ResignWhileServing);

    [Fact]
    public void AReplicaThatForgetsTheVersionsOfEntriesLeavingItsTailIsCaught() => Caught(ProtocolBreakage.ForgetVersionsLeavingTheTail);

    private void Caught(ProtocolBreakage breakage)
    {
        var found = SpecSearch.FirstViolation(breakage, Limit);
        Assert.True(found is not null, $"{Limit} schedules with {breakage} broke no check: the simulation cannot see this bug");
        var (spec, violation, tried) = found.Value;
        output.WriteLine($"caught after {tried} schedules: {new SimulationFailure(spec, violation).Message}");
    }
}
