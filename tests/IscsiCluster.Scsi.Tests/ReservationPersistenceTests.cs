using System.Text;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

/// <summary>APTPL (SPC-4 5.13.5): state saved in the unit's store survives a restart (a new DiskUnit).</summary>
public class ReservationPersistenceTests
{
    private const ulong KeyA = 0xA1, KeyB = 0xB2;

    private readonly MemoryStateStore _store = new();
    private readonly MemoryBlockDevice _device = new(512, 64);

    private DiskUnit Start()
    {
        var unit = new DiskUnit(Harness.Identity, _device, state: _store);
        unit.SetInventory([0, 1]);
        Harness.ClearPowerOn(unit, Pr.A);
        Harness.ClearPowerOn(unit, Pr.B);
        return unit;
    }

    [Fact]
    public void RegistrationsAndTheReservationSurviveARestartUnderAptpl()
    {
        var unit = Start();
        Pr.RegisterKey(unit, Pr.A, KeyA, Pr.Aptpl);
        Pr.RegisterKey(unit, Pr.B, KeyB, Pr.Aptpl | Pr.AllTgPt);
        Pr.ReserveAs(unit, Pr.A, KeyA, Pr.ExclusiveAccessRegistrantsOnly);

        var restarted = Start();

        Assert.False(restarted.ReservationStateDiscarded);
        Pr.AssertKeys(restarted, Pr.A, 2, KeyA, KeyB);
        Assert.Equal((KeyA, Pr.ExclusiveAccessRegistrantsOnly), Pr.ReadReservation(restarted, Pr.A));
        Harness.ClearPowerOn(restarted, Pr.C);
        Pr.AssertConflict(Harness.Run(restarted, Harness.Rw10(0x28, 0, 1), nexus: Pr.C));
        var otherPort = Pr.B with { RelativeTargetPortId = 5 };
        Harness.ClearPowerOn(restarted, otherPort);
        Harness.AssertGood(Harness.Run(restarted, Harness.Rw10(0x28, 0, 1), nexus: otherPort));   // ALL_TG_PT survived
        Assert.Equal(0x01, Harness.Run(restarted, Pr.InCdb(2), nexus: Pr.A).DataIn.Span[3] & 0x01);  // PTPL_A
    }

    [Fact]
    public void AnAllRegistrantsReservationSurvivesARestart()
    {
        var unit = Start();
        Pr.RegisterKey(unit, Pr.A, KeyA, Pr.Aptpl);
        Pr.ReserveAs(unit, Pr.A, KeyA, Pr.WriteExclusiveAllRegistrants);

        Assert.Equal((0UL, Pr.WriteExclusiveAllRegistrants), Pr.ReadReservation(Start(), Pr.A));
    }

    [Fact]
    public void WithoutAptplNothingIsKept()
    {
        var unit = Start();
        Pr.RegisterKey(unit, Pr.A, KeyA);
        Pr.ReserveAs(unit, Pr.A, KeyA, Pr.WriteExclusive);

        Assert.Empty(_store.Values);
        Pr.AssertKeys(Start(), Pr.A, 0);
    }

    [Fact]
    public void ClearingAptplDeletesTheSavedState()
    {
        var unit = Start();
        Pr.RegisterKey(unit, Pr.A, KeyA, Pr.Aptpl);
        Assert.Contains(DiskUnit.PersistentReservationsKey, _store.Values.Keys);

        Harness.AssertGood(Pr.Out(unit, Pr.A, Pr.Register, Pr.List(KeyA, KeyB)));

        Assert.Empty(_store.Values);
    }

    [Fact]
    public void EveryChangeUnderAptplIsSaved()
    {
        var unit = Start();
        Pr.RegisterKey(unit, Pr.A, KeyA, Pr.Aptpl);
        var saves = _store.Saves;

        Pr.ReserveAs(unit, Pr.A, KeyA, Pr.WriteExclusive);
        Harness.AssertGood(Pr.Out(unit, Pr.A, Pr.Release, Pr.List(KeyA), Pr.WriteExclusive));

        Assert.Equal(saves + 2, _store.Saves);
        Assert.Null(Pr.ReadReservation(Start(), Pr.A));
    }

    [Fact]
    public void ReportCapabilitiesClaimsPersistThroughPowerLossWithAStore() =>
        Assert.Equal(0x1D, Harness.Run(Start(), Pr.InCdb(2), nexus: Pr.A).DataIn.Span[2]);

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"version\":2,\"generation\":1,\"aptpl\":true,\"reservation\":null,\"registrations\":[]}")]
    [InlineData("{\"version\":1,\"generation\":1,\"aptpl\":true,\"reservation\":{\"type\":1,\"holder\":3},\"registrations\":[]}")]
    [InlineData("{\"version\":1,\"generation\":1,\"aptpl\":true,\"reservation\":{\"type\":2,\"holder\":0},"
        + "\"registrations\":[{\"initiatorPort\":\"iqn.x,i,0x1\",\"target\":\"iqn.t\",\"relativeTargetPortId\":1,\"key\":5}]}")]
    [InlineData("{\"version\":1,\"generation\":1,\"aptpl\":true,\"reservation\":null,"
        + "\"registrations\":[{\"initiatorPort\":\"\",\"target\":\"iqn.t\",\"relativeTargetPortId\":1,\"key\":5}]}")]
    public void CorruptSavedStateIsDiscardedAndReported(string saved)
    {
        _store.Values[DiskUnit.PersistentReservationsKey] = Encoding.UTF8.GetBytes(saved);

        var unit = Start();

        Assert.True(unit.ReservationStateDiscarded);
        Pr.AssertKeys(unit, Pr.A, 0);
    }
}
