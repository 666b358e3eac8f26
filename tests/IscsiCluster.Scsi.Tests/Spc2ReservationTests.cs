using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

/// <summary>RESERVE/RELEASE (6) and (10) (SPC-2 7.21-7.24) and SPC-4 5.13.3; compare libiscsi's test_reserve6_*.</summary>
public class Spc2ReservationTests
{
    private static readonly byte[] Reserve6 = Harness.Cdb6(0x16);
    private static readonly byte[] Release6 = Harness.Cdb6(0x17);
    private static readonly byte[] Reserve10 = [0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] Release10 = [0x57, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] Read = Harness.Rw10(0x28, 0, 1);

    private readonly DiskUnit _unit;

    public Spc2ReservationTests()
    {
        (_unit, _) = Harness.NewDisk();
        Harness.ClearPowerOn(_unit, Pr.A);
        Harness.ClearPowerOn(_unit, Pr.B);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AReservationShutsOutOtherNexusesUntilReleased(bool ten)
    {
        Harness.AssertGood(Harness.Run(_unit, ten ? Reserve10 : Reserve6, nexus: Pr.A));
        Harness.AssertGood(Harness.Run(_unit, ten ? Reserve10 : Reserve6, nexus: Pr.A));     // again, by the holder

        Pr.AssertConflict(Harness.Run(_unit, ten ? Reserve10 : Reserve6, nexus: Pr.B));
        Harness.AssertGood(Harness.Run(_unit, ten ? Release10 : Release6, nexus: Pr.B));     // not the holder: nothing happens
        Pr.AssertConflict(Harness.Run(_unit, Read, nexus: Pr.B));
        Pr.AssertConflict(Harness.Run(_unit, Harness.Cdb6(0x1A, b2: 0x3F, b4: 255), nexus: Pr.B));
        Pr.AssertConflict(Harness.Run(_unit, Harness.Cdb6(0x00), nexus: Pr.B));
        Pr.AssertConflict(Harness.Run(_unit, Pr.InCdb(0), nexus: Pr.B));
        Pr.AssertConflict(Pr.Out(_unit, Pr.B, Pr.RegisterAndIgnore, Pr.List(0, 5)));
        Harness.AssertGood(Harness.Run(_unit, Harness.Inquiry(), nexus: Pr.B));
        Harness.AssertGood(Harness.Run(_unit, [0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0], nexus: Pr.B));
        Harness.AssertGood(Harness.Run(_unit, Read, nexus: Pr.A));

        Harness.AssertGood(Harness.Run(_unit, ten ? Release10 : Release6, nexus: Pr.A));
        Harness.AssertGood(Harness.Run(_unit, Read, nexus: Pr.B));
        Harness.AssertGood(Harness.Run(_unit, Reserve6, nexus: Pr.B));
    }

    [Theory]
    [InlineData(TaskManagementFunction.LogicalUnitReset)]
    [InlineData(TaskManagementFunction.TargetWarmReset)]
    [InlineData(TaskManagementFunction.TargetColdReset)]
    public void AResetEndsTheReservation(TaskManagementFunction function)
    {
        Harness.AssertGood(Harness.Run(_unit, Reserve6, nexus: Pr.A));

        _unit.Manage(new TaskManagementRequest(Pr.A, 1, function, 0));

        Pr.DrainUnitAttentions(_unit, Pr.B);
        Harness.AssertGood(Harness.Run(_unit, Reserve6, nexus: Pr.B));
    }

    [Fact]
    public void LosingTheNexusEndsItsReservation()
    {
        Harness.AssertGood(Harness.Run(_unit, Reserve6, nexus: Pr.A));

        _unit.OnNexusLost(Pr.A);

        Harness.AssertGood(Harness.Run(_unit, Reserve6, nexus: Pr.B));
    }

    [Fact]
    public void PersistentReservationsSurviveAReset()
    {
        Pr.RegisterKey(_unit, Pr.A, 0xA1);
        Pr.ReserveAs(_unit, Pr.A, 0xA1, Pr.ExclusiveAccess);

        _unit.Manage(new TaskManagementRequest(Pr.A, 1, TaskManagementFunction.LogicalUnitReset, 0));

        Pr.DrainUnitAttentions(_unit, Pr.B);
        Pr.AssertConflict(Harness.Run(_unit, Read, nexus: Pr.B));
    }

    [Fact]
    public void ReserveConflictsWhileAnyNexusIsRegistered()
    {
        Pr.RegisterKey(_unit, Pr.A, 0xA1);

        Pr.AssertConflict(Harness.Run(_unit, Reserve6, nexus: Pr.B));
        Pr.AssertConflict(Harness.Run(_unit, Release10, nexus: Pr.B));
        Pr.AssertConflict(Harness.Run(_unit, Reserve6, nexus: Pr.A));           // registered, but holds no reservation
    }

    [Fact]
    public void ThePersistentReservationHolderGetsGoodWithoutAnyChange()
    {
        Pr.RegisterKey(_unit, Pr.A, 0xA1);
        Pr.ReserveAs(_unit, Pr.A, 0xA1, Pr.WriteExclusive);

        Harness.AssertGood(Harness.Run(_unit, Reserve6, nexus: Pr.A));
        Harness.AssertGood(Harness.Run(_unit, Release6, nexus: Pr.A));

        Assert.Equal((0xA1UL, Pr.WriteExclusive), Pr.ReadReservation(_unit, Pr.A));
        Harness.AssertGood(Harness.Run(_unit, Read, nexus: Pr.B));               // no SPC-2 reservation was made
    }

    [Fact]
    public void ARegistrantUnderARegistrantsOnlyReservationGetsGood()
    {
        Pr.RegisterKey(_unit, Pr.A, 0xA1);
        Pr.RegisterKey(_unit, Pr.B, 0xB2);
        Pr.ReserveAs(_unit, Pr.A, 0xA1, Pr.WriteExclusiveRegistrantsOnly);

        Harness.AssertGood(Harness.Run(_unit, Reserve10, nexus: Pr.B));
    }

    [Fact]
    public void ThirdPartyReservationIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, [0x56, 0x10, 0, 0, 0, 0, 0, 0, 0, 0], nexus: Pr.A), 1, 4);
}
