using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

/// <summary>PREEMPT, PREEMPT AND ABORT, CLEAR and REGISTER AND MOVE with three initiators (SPC-4 5.13.8, 5.13.11.4-5.13.11.6).</summary>
public class PersistentReservePreemptTests
{
    private const ulong KeyA = 0xA1, KeyB = 0xB2, KeyC = 0xC3;

    private readonly DiskUnit _unit;

    public PersistentReservePreemptTests()
    {
        (_unit, _) = Harness.NewDisk();
        foreach (var nexus in new[] { Pr.A, Pr.B, Pr.C })
        {
            Harness.ClearPowerOn(_unit, nexus);
        }

        Pr.RegisterKey(_unit, Pr.A, KeyA);
        Pr.RegisterKey(_unit, Pr.B, KeyB);
        Pr.RegisterKey(_unit, Pr.C, KeyC);
    }

    [Theory]
    [InlineData(Pr.Preempt)]
    [InlineData(Pr.PreemptAndAbort)]
    public void PreemptWithoutAReservationRemovesTheRegistrationsOfTheKey(byte serviceAction)
    {
        Harness.AssertGood(Pr.Out(_unit, Pr.B, serviceAction, Pr.List(KeyB, KeyA), Pr.ExclusiveAccess));

        Pr.AssertKeys(_unit, Pr.B, 4, KeyB, KeyC);
        Assert.Null(Pr.ReadReservation(_unit, Pr.B));
        Assert.Equal([(0x2A, 0x05)], Pr.DrainUnitAttentions(_unit, Pr.A));       // REGISTRATIONS PREEMPTED
        Assert.Empty(Pr.DrainUnitAttentions(_unit, Pr.C));
    }

    [Theory]
    [InlineData(Pr.Preempt)]
    [InlineData(Pr.PreemptAndAbort)]
    public void PreemptingTheHolderTakesTheReservation(byte serviceAction)
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.WriteExclusive);

        Harness.AssertGood(Pr.Out(_unit, Pr.B, serviceAction, Pr.List(KeyB, KeyA), Pr.ExclusiveAccess));

        Assert.Equal((KeyB, Pr.ExclusiveAccess), Pr.ReadReservation(_unit, Pr.B));
        Pr.AssertKeys(_unit, Pr.B, 4, KeyB, KeyC);
        Assert.Equal([(0x2A, 0x05)], Pr.DrainUnitAttentions(_unit, Pr.A));       // REGISTRATIONS PREEMPTED
        Assert.Equal([(0x2A, 0x04)], Pr.DrainUnitAttentions(_unit, Pr.C));       // RESERVATIONS RELEASED: the type changed
        Assert.Empty(Pr.DrainUnitAttentions(_unit, Pr.B));
        Pr.AssertConflict(Harness.Run(_unit, Harness.Rw10(0x28, 0, 1), nexus: Pr.A));
    }

    [Fact]
    public void PreemptingTheHolderWithTheSameTypeOwesTheOthersNothing()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.WriteExclusive);

        Harness.AssertGood(Pr.Out(_unit, Pr.B, Pr.Preempt, Pr.List(KeyB, KeyA), Pr.WriteExclusive));

        Assert.Empty(Pr.DrainUnitAttentions(_unit, Pr.C));
        Assert.Equal([(0x2A, 0x05)], Pr.DrainUnitAttentions(_unit, Pr.A));
    }

    [Fact]
    public void PreemptingANonHolderLeavesTheReservation()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.WriteExclusive);

        Harness.AssertGood(Pr.Out(_unit, Pr.B, Pr.Preempt, Pr.List(KeyB, KeyC), Pr.ExclusiveAccess));

        Assert.Equal((KeyA, Pr.WriteExclusive), Pr.ReadReservation(_unit, Pr.B));
        Pr.AssertKeys(_unit, Pr.B, 4, KeyA, KeyB);
        Assert.Equal([(0x2A, 0x05)], Pr.DrainUnitAttentions(_unit, Pr.C));
        Assert.Empty(Pr.DrainUnitAttentions(_unit, Pr.A));
    }

    [Fact]
    public void PreemptWithZeroUnderAnAllRegistrantsReservationRemovesEveryoneElse()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.ExclusiveAccessAllRegistrants);

        Harness.AssertGood(Pr.Out(_unit, Pr.B, Pr.Preempt, Pr.List(KeyB, 0), Pr.WriteExclusive));

        Pr.AssertKeys(_unit, Pr.B, 4, KeyB);
        Assert.Equal((KeyB, Pr.WriteExclusive), Pr.ReadReservation(_unit, Pr.B));
        Assert.Equal([(0x2A, 0x05)], Pr.DrainUnitAttentions(_unit, Pr.A));
        Assert.Equal([(0x2A, 0x05)], Pr.DrainUnitAttentions(_unit, Pr.C));
    }

    [Fact]
    public void PreemptWithAKeyUnderAnAllRegistrantsReservationRemovesOnlyThatKey()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.WriteExclusiveAllRegistrants);

        Harness.AssertGood(Pr.Out(_unit, Pr.B, Pr.Preempt, Pr.List(KeyB, KeyC), Pr.WriteExclusive));

        Assert.Equal((0UL, Pr.WriteExclusiveAllRegistrants), Pr.ReadReservation(_unit, Pr.B));
        Pr.AssertKeys(_unit, Pr.B, 4, KeyA, KeyB);
    }

    [Fact]
    public void PreemptWithZeroAndNoReservationIsInvalidFieldInParameterList() =>
        Harness.AssertSense(Pr.Out(_unit, Pr.B, Pr.Preempt, Pr.List(KeyB, 0), Pr.WriteExclusive), 0x5, 0x26, 0x00);

    [Fact]
    public void PreemptingAKeyNobodyHoldsIsAConflict()
    {
        Pr.AssertConflict(Pr.Out(_unit, Pr.B, Pr.Preempt, Pr.List(KeyB, 0x999), Pr.WriteExclusive));

        Pr.AssertKeys(_unit, Pr.B, 3, KeyA, KeyB, KeyC);
    }

    [Fact]
    public void ClearRemovesEverythingAndOwesTheOthersReservationsPreempted()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.WriteExclusive);

        Harness.AssertGood(Pr.Out(_unit, Pr.B, Pr.Clear, Pr.List(KeyB)));

        Pr.AssertKeys(_unit, Pr.B, 4);
        Assert.Null(Pr.ReadReservation(_unit, Pr.B));
        Assert.Equal([(0x2A, 0x03)], Pr.DrainUnitAttentions(_unit, Pr.A));
        Assert.Equal([(0x2A, 0x03)], Pr.DrainUnitAttentions(_unit, Pr.C));
        Assert.Empty(Pr.DrainUnitAttentions(_unit, Pr.B));
    }

    [Fact]
    public void RegisterAndMoveHandsTheReservationToAnotherInitiatorPort()
    {
        var d = Harness.Nexus("iqn.2026-01.test:d", isid: "0x1");
        Harness.ClearPowerOn(_unit, d);
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.WriteExclusive);

        var list = Pr.MoveList(KeyA, 0xD4, d.RelativeTargetPortId, Pr.TransportId(d.InitiatorPortName));
        Harness.AssertGood(Pr.Out(_unit, Pr.A, Pr.RegisterAndMove, list, Pr.ExclusiveAccess));

        Assert.Equal((0xD4UL, Pr.ExclusiveAccess), Pr.ReadReservation(_unit, d));
        Pr.AssertKeys(_unit, d, 4, KeyA, KeyB, KeyC, 0xD4);
        Harness.AssertGood(Harness.Run(_unit, Harness.Rw10(0x28, 0, 1), nexus: d));
        Pr.AssertConflict(Harness.Run(_unit, Harness.Rw10(0x28, 0, 1), nexus: Pr.A));
    }

    [Fact]
    public void RegisterAndMoveWithUnregDropsTheSendersRegistration()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.WriteExclusive);

        var list = Pr.MoveList(KeyA, 0xB9, Pr.B.RelativeTargetPortId, Pr.TransportId(Pr.B.InitiatorPortName), unreg: true);
        Harness.AssertGood(Pr.Out(_unit, Pr.A, Pr.RegisterAndMove, list, Pr.WriteExclusive));

        Pr.AssertKeys(_unit, Pr.B, 4, 0xB9, KeyC);
        Assert.Equal((0xB9UL, Pr.WriteExclusive), Pr.ReadReservation(_unit, Pr.B));
    }

    [Fact]
    public void RegisterAndMoveFromANonHolderIsAConflict()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.WriteExclusive);

        var list = Pr.MoveList(KeyB, 0xC9, Pr.C.RelativeTargetPortId, Pr.TransportId(Pr.C.InitiatorPortName));
        Pr.AssertConflict(Pr.Out(_unit, Pr.B, Pr.RegisterAndMove, list, Pr.WriteExclusive));
    }

    [Fact]
    public void RegisterAndMoveWithoutAReservationIsAConflict()
    {
        var list = Pr.MoveList(KeyA, 0xB9, Pr.B.RelativeTargetPortId, Pr.TransportId(Pr.B.InitiatorPortName));

        Pr.AssertConflict(Pr.Out(_unit, Pr.A, Pr.RegisterAndMove, list, Pr.WriteExclusive));
    }

    [Fact]
    public void RegisterAndMoveOfAnAllRegistrantsReservationIsAConflict()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.WriteExclusiveAllRegistrants);

        var list = Pr.MoveList(KeyA, 0xB9, Pr.B.RelativeTargetPortId, Pr.TransportId(Pr.B.InitiatorPortName));
        Pr.AssertConflict(Pr.Out(_unit, Pr.A, Pr.RegisterAndMove, list, Pr.WriteExclusive));
    }

    [Fact]
    public void RegisterAndMoveToItselfOrWithKeyZeroIsInvalidFieldInParameterList()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.WriteExclusive);

        var toSelf = Pr.MoveList(KeyA, 0xA9, Pr.A.RelativeTargetPortId, Pr.TransportId(Pr.A.InitiatorPortName));
        Harness.AssertSense(Pr.Out(_unit, Pr.A, Pr.RegisterAndMove, toSelf, Pr.WriteExclusive), 0x5, 0x26, 0x00);
        var zeroKey = Pr.MoveList(KeyA, 0, Pr.B.RelativeTargetPortId, Pr.TransportId(Pr.B.InitiatorPortName));
        Harness.AssertSense(Pr.Out(_unit, Pr.A, Pr.RegisterAndMove, zeroKey, Pr.WriteExclusive), 0x5, 0x26, 0x00);
        Assert.Equal((KeyA, Pr.WriteExclusive), Pr.ReadReservation(_unit, Pr.A));
    }

    [Fact]
    public void RegisterAndMoveWithATransportIdPastTheListIsParameterListLengthError()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.WriteExclusive);
        var list = Pr.MoveList(KeyA, 0xB9, Pr.B.RelativeTargetPortId, Pr.TransportId(Pr.B.InitiatorPortName));

        Harness.AssertSense(Pr.Out(_unit, Pr.A, Pr.RegisterAndMove, list[..^4], Pr.WriteExclusive), 0x5, 0x1A, 0x00);
    }
}
