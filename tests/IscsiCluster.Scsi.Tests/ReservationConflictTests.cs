using System.Buffers.Binary;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

/// <summary>
/// SPC-4 5.13.1 table 50 and SBC-3 4.17 table 13, with three initiators: A holds the
/// reservation, B is registered, C is not. The expectations match libiscsi's
/// test_prout_reserve_access_* cases.
/// </summary>
public class ReservationConflictTests
{
    private const ulong KeyA = 0xA1, KeyB = 0xB2;

    private static readonly byte[] Read = Harness.Rw10(0x28, 0, 1);
    private static readonly byte[] Write = Harness.Rw10(0x2A, 0, 1);
    private static readonly byte[] ModeSense = Harness.Cdb6(0x1A, b2: 0x3F, b4: 255);
    private static readonly byte[] SynchronizeCache = Harness.Rw10(0x35, 0, 0);

    private readonly DiskUnit _unit;

    public ReservationConflictTests()
    {
        (_unit, _) = Harness.NewDisk();
        foreach (var nexus in new[] { Pr.A, Pr.B, Pr.C })
        {
            Harness.ClearPowerOn(_unit, nexus);
        }

        Pr.RegisterKey(_unit, Pr.A, KeyA);
        Pr.RegisterKey(_unit, Pr.B, KeyB);
    }

    [Theory]
    [InlineData(Pr.WriteExclusive, true, false, true, false)]
    [InlineData(Pr.ExclusiveAccess, false, false, false, false)]
    [InlineData(Pr.WriteExclusiveRegistrantsOnly, true, true, true, false)]
    [InlineData(Pr.ExclusiveAccessRegistrantsOnly, true, true, false, false)]
    [InlineData(Pr.WriteExclusiveAllRegistrants, true, true, true, false)]
    [InlineData(Pr.ExclusiveAccessAllRegistrants, true, true, false, false)]
    public void ReadAndWriteAreAllowedAsTheReservationTypeSays(byte type, bool registeredReads, bool registeredWrites, bool othersRead, bool othersWrite)
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, type);

        AssertAllowed(true, Run(Read, Pr.A));
        AssertAllowed(true, Run(Write, Pr.A));
        AssertAllowed(registeredReads, Run(Read, Pr.B));
        AssertAllowed(registeredWrites, Run(Write, Pr.B));
        AssertAllowed(othersRead, Run(Read, Pr.C));
        AssertAllowed(othersWrite, Run(Write, Pr.C));
        AssertAllowed(registeredReads, Run(ModeSense, Pr.B));
        AssertAllowed(othersRead, Run(ModeSense, Pr.C));
        AssertAllowed(registeredWrites, Run(SynchronizeCache, Pr.B));
        AssertAllowed(othersWrite, Run(SynchronizeCache, Pr.C));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void StatusCommandsAreAllowedUnderEveryReservationType(byte type)
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, type);

        foreach (var nexus in new[] { Pr.B, Pr.C })
        {
            Harness.AssertGood(Run(Harness.Cdb6(0x00), nexus));                               // TEST UNIT READY
            Harness.AssertGood(Run(Harness.Inquiry(), nexus));
            Harness.AssertGood(Run([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0], nexus));                 // READ CAPACITY(10)
            Harness.AssertGood(Run([0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0], nexus));           // REPORT LUNS
            Harness.AssertGood(Run(Pr.InCdb(0), nexus));                                       // PERSISTENT RESERVE IN
            Harness.AssertGood(Run(Harness.Cdb6(0x03, b4: 18), nexus));                        // REQUEST SENSE
        }
    }

    [Fact]
    public void UnregisteringTheHolderOfARegistrantsOnlyReservationReleasesIt()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.ExclusiveAccessRegistrantsOnly);

        Harness.AssertGood(Pr.Out(_unit, Pr.A, Pr.Register, Pr.List(KeyA, 0)));

        Assert.Equal([(0x2A, 0x04)], Pr.DrainUnitAttentions(_unit, Pr.B));        // RESERVATIONS RELEASED
        Assert.Empty(Pr.DrainUnitAttentions(_unit, Pr.C));
        Assert.Null(Pr.ReadReservation(_unit, Pr.B));
        Harness.AssertGood(Run(Write, Pr.C));
    }

    [Theory]
    [InlineData(Pr.WriteExclusive)]
    [InlineData(Pr.ExclusiveAccess)]
    public void UnregisteringTheHolderOfAnExclusiveReservationReleasesItSilently(byte type)
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, type);

        Harness.AssertGood(Pr.Out(_unit, Pr.A, Pr.Register, Pr.List(KeyA, 0)));

        Assert.Null(Pr.ReadReservation(_unit, Pr.B));
        Assert.Empty(Pr.DrainUnitAttentions(_unit, Pr.B));
    }

    [Theory]
    [InlineData(Pr.WriteExclusiveAllRegistrants)]
    [InlineData(Pr.ExclusiveAccessAllRegistrants)]
    public void AnAllRegistrantsReservationLastsUntilItsLastRegistrantLeaves(byte type)
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, type);

        Harness.AssertGood(Pr.Out(_unit, Pr.A, Pr.Register, Pr.List(KeyA, 0)));
        Assert.Equal((0UL, type), Pr.ReadReservation(_unit, Pr.B));
        AssertAllowed(false, Run(Write, Pr.A));

        Harness.AssertGood(Pr.Out(_unit, Pr.B, Pr.Register, Pr.List(KeyB, 0)));
        Assert.Null(Pr.ReadReservation(_unit, Pr.B));
        Harness.AssertGood(Run(Write, Pr.C));
    }

    [Fact]
    public void ANexusRegisteringUnderAnAllRegistrantsReservationBecomesAHolder()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.ExclusiveAccessAllRegistrants);
        AssertAllowed(false, Run(Write, Pr.C));

        Pr.RegisterKey(_unit, Pr.C, 0xC3);

        Harness.AssertGood(Run(Write, Pr.C));
    }

    [Fact]
    public void ReservationConflictLeavesThePendingUnitAttentionForTheNextCommand()
    {
        Pr.ReserveAs(_unit, Pr.A, KeyA, Pr.ExclusiveAccess);
        _unit.NotifyAsymmetricAccessStateChanged();

        Harness.AssertSense(Run(Read, Pr.C), 0x6, 0x2A, 0x06);
        Pr.AssertConflict(Run(Read, Pr.C));
    }

    [Theory]
    [InlineData(Pr.WriteExclusive, false)]
    [InlineData(Pr.ExclusiveAccess, true)]
    public void EveryDispatchedCommandHasItsConflictClass(byte type, bool readsConflict)
    {
        // SBC-3 4.17 table 13 and SPC-4 5.13.1 table 50 for a nexus that is not registered;
        // RESERVE/RELEASE conflict while registrations exist (SPC-4 5.13.3).
        HashSet<byte> reads = [0x08, 0x28, 0xA8, 0x88, 0x2F, 0xAF, 0x8F, 0x34, 0x90, 0x1A, 0x5A, 0x37, 0xB7];
        HashSet<byte> writes =
            [0x0A, 0x2A, 0xAA, 0x8A, 0x2E, 0xAE, 0x8E, 0x41, 0x93, 0x42, 0x89, 0x8B, 0x9C, 0x83, 0x84, 0x35, 0x91, 0x15, 0x55, 0x1B, 0x1E, 0x16, 0x17, 0x56, 0x57];
        Pr.ReserveAs(_unit, Pr.A, KeyA, type);

        var listed = Harness.Run(_unit, [0xA3, 0x0C, 0, 0, 0, 0, 0, 0, 0x20, 0, 0, 0], nexus: Pr.C).DataIn.ToArray();
        Assert.True(listed.Length > 4 + (8 * 40));
        for (var offset = 4; offset < listed.Length; offset += 8)
        {
            var opCode = listed[offset];
            var cdb = new byte[BinaryPrimitives.ReadUInt16BigEndian(listed.AsSpan(offset + 6))];
            cdb[0] = opCode;
            cdb[1] = (listed[offset + 5] & 1) != 0 ? listed[offset + 3] : (byte)0;
            var getLbaStatus = opCode == 0x9E && cdb[1] == 0x12;
            var expected = writes.Contains(opCode) || (readsConflict && (reads.Contains(opCode) || getLbaStatus));

            var answer = Harness.Run(_unit, cdb, new byte[1 << 17], nexus: Pr.C);

            Assert.True(expected == (answer.Status == ScsiStatus.ReservationConflict), $"opcode {opCode:X2}/{cdb[1]:X2}: {answer.Status}");
        }
    }

    public static TheoryData<byte> Types() => [.. Pr.AllTypes];

    private CommandComplete Run(byte[] cdb, ITNexus nexus) =>
        Harness.Run(_unit, cdb, cdb[0] is 0x2A ? new byte[512] : null, nexus: nexus);

    private static void AssertAllowed(bool allowed, CommandComplete answer)
    {
        if (allowed)
        {
            Harness.AssertGood(answer);
        }
        else
        {
            Pr.AssertConflict(answer);
        }
    }
}
