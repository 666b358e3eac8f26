using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class PersistentReserveReserveTests
{
    private const ulong KeyA = 0xA1, KeyB = 0xB2;

    private readonly DiskUnit _unit;

    public PersistentReserveReserveTests()
    {
        (_unit, _) = Harness.NewDisk();
        Harness.ClearPowerOn(_unit, Pr.A);
        Harness.ClearPowerOn(_unit, Pr.B);
        Pr.RegisterKey(_unit, Pr.A, KeyA);
        Pr.RegisterKey(_unit, Pr.B, KeyB);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void ReserveThenReleaseEveryType(byte type)
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, type);

        var allRegistrants = type is Pr.WriteExclusiveAllRegistrants or Pr.ExclusiveAccessAllRegistrants;
        Assert.Equal((allRegistrants ? 0 : KeyA, type), Pr.ReadReservation(_unit, Pr.B));
        Harness.AssertGood(Pr.Out(_unit, Pr.A, Pr.Release, Pr.List(KeyA), type));
        Assert.Null(Pr.ReadReservation(_unit, Pr.A));
        Assert.Equal(2u, Pr.ReadKeys(_unit, Pr.A).Generation);         // RESERVE and RELEASE leave PRgeneration alone
    }

    [Fact]
    public void ReservingAgainWithTheSameTypeIsGood()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.WriteExclusive);

        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.WriteExclusive);
    }

    [Fact]
    public void ReservingAgainWithAnotherTypeIsAConflict()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.WriteExclusive);

        Pr.AssertConflict(Pr.Out(_unit, Pr.A, Pr.Reserve, Pr.List(KeyA), Pr.ExclusiveAccess));
    }

    [Fact]
    public void ReservingWhileAnotherNexusHoldsTheReservationIsAConflict()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.WriteExclusive);

        Pr.AssertConflict(Pr.Out(_unit, Pr.B, Pr.Reserve, Pr.List(KeyB), Pr.WriteExclusive));
    }

    [Fact]
    public void AnyRegistrantMayReleaseAnAllRegistrantsReservation()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.WriteExclusiveAllRegistrants);

        Harness.AssertGood(Pr.Out(_unit, Pr.B, Pr.Release, Pr.List(KeyB), Pr.WriteExclusiveAllRegistrants));

        Assert.Null(Pr.ReadReservation(_unit, Pr.B));
        Assert.Equal([(0x2A, 0x04)], Pr.DrainUnitAttentions(_unit, Pr.A));       // RESERVATIONS RELEASED
        Assert.Empty(Pr.DrainUnitAttentions(_unit, Pr.B));
    }

    [Fact]
    public void ReleaseByANexusThatDoesNotHoldTheReservationChangesNothing()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.ExclusiveAccess);

        Harness.AssertGood(Pr.Out(_unit, Pr.B, Pr.Release, Pr.List(KeyB), Pr.ExclusiveAccess));

        Assert.Equal((KeyA, Pr.ExclusiveAccess), Pr.ReadReservation(_unit, Pr.A));
    }

    [Fact]
    public void ReleaseWithNothingReservedIsGood() =>
        Harness.AssertGood(Pr.Out(_unit, Pr.A, Pr.Release, Pr.List(KeyA), Pr.ExclusiveAccess));

    [Fact]
    public void ReleasingAnExclusiveReservationOwesNoUnitAttention()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.ExclusiveAccess);

        Harness.AssertGood(Pr.Out(_unit, Pr.A, Pr.Release, Pr.List(KeyA), Pr.ExclusiveAccess));

        Assert.Empty(Pr.DrainUnitAttentions(_unit, Pr.B));
    }

    [Fact]
    public void ReleaseWithAnotherTypeIsInvalidReleaseOfPersistentReservation()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.WriteExclusiveRegistrantsOnly);

        Harness.AssertSense(Pr.Out(_unit, Pr.A, Pr.Release, Pr.List(KeyA), Pr.WriteExclusive), 0x5, 0x26, 0x04);
        Assert.Equal((KeyA, Pr.WriteExclusiveRegistrantsOnly), Pr.ReadReservation(_unit, Pr.A));
    }

    [Theory]
    [InlineData(Pr.Reserve)]
    [InlineData(Pr.Release)]
    [InlineData(Pr.Clear)]
    [InlineData(Pr.Preempt)]
    [InlineData(Pr.PreemptAndAbort)]
    public void AWrongReservationKeyIsAConflict(byte serviceAction) =>
        Pr.AssertConflict(Pr.Out(_unit, Pr.A, serviceAction, Pr.List(KeyB, KeyB), Pr.WriteExclusive));

    [Theory]
    [InlineData(Pr.Reserve)]
    [InlineData(Pr.Release)]
    [InlineData(Pr.Clear)]
    [InlineData(Pr.Preempt)]
    public void AnUnregisteredNexusIsAConflict(byte serviceAction)
    {
        Harness.ClearPowerOn(_unit, Pr.C);

        Pr.AssertConflict(Pr.Out(_unit, Pr.C, serviceAction, Pr.List(0, KeyA), Pr.WriteExclusive));
    }

    [Theory]
    [InlineData(Pr.Reserve, 0)]
    [InlineData(Pr.Reserve, 2)]
    [InlineData(Pr.Reserve, 4)]
    [InlineData(Pr.Reserve, 9)]
    [InlineData(Pr.Release, 0xF)]
    [InlineData(Pr.Preempt, 0)]
    [InlineData(Pr.PreemptAndAbort, 2)]
    [InlineData(Pr.RegisterAndMove, 0)]
    public void AnUndefinedTypeIsInvalidFieldInCdb(byte serviceAction, byte type)
    {
        var list = serviceAction == Pr.RegisterAndMove ? Pr.MoveList(KeyA, KeyB, 1, Pr.TransportId(Pr.B.InitiatorPortName)) : Pr.List(KeyA, KeyB);

        Harness.AssertInvalidField(Pr.Out(_unit, Pr.A, serviceAction, list, type), 2, 3);
    }

    [Theory]
    [InlineData(Pr.Reserve)]
    [InlineData(Pr.Release)]
    [InlineData(Pr.Preempt)]
    public void AScopeOtherThanLogicalUnitIsInvalidFieldInCdb(byte serviceAction) =>
        Harness.AssertInvalidField(
            Harness.Run(_unit, Pr.OutCdb(serviceAction, Pr.WriteExclusive, 24, scope: 2), Pr.List(KeyA, KeyB), nexus: Pr.A), 2, 7);

    [Fact]
    public void RegisterIgnoresTheTypeAndScopeFields() =>
        Harness.AssertGood(Harness.Run(_unit, Pr.OutCdb(Pr.Register, 0xF, 24, scope: 0xF), Pr.List(KeyA, 0xA9), nexus: Pr.A));

    public static TheoryData<byte> Types() => [.. Pr.AllTypes];
}
