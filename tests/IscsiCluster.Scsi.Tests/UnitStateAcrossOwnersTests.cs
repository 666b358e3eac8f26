using System.Text;
using IscsiCluster.Scsi.Attention;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

/// <summary>
/// Mode pages and the unit attentions owed to each nexus, kept in a store that outlives the unit's owner (a cluster's):
/// a second <see cref="DiskUnit"/> over the same store stands for the LUN's next owner, and reports what the first one
/// would have. A store that does not keep state across owners (one node, whose restart is a power on) keeps neither.
/// </summary>
public class UnitStateAcrossOwnersTests
{
    private const ulong KeyA = 0xA1, KeyB = 0xB2;
    private static readonly (byte, byte) PowerOnReset = (0x29, 0x00);
    private static readonly (byte, byte) ModeParametersChanged = (0x2A, 0x01);
    private static readonly (byte, byte) RegistrationsPreempted = (0x2A, 0x05);

    private readonly MemoryStateStore _store = new() { KeepsStateAcrossOwners = true };
    private readonly MemoryBlockDevice _device = new(512, 64);

    [Fact]
    public void AWriteCacheClearedThroughOnePathIsReportedByTheNextOwnerThroughAnother()
    {
        var first = Owner(Pr.A, Pr.B);
        Harness.AssertGood(SelectCaching(first, Pr.A, wce: false));

        var next = Owner();

        Assert.Equal([PowerOnReset, ModeParametersChanged], Pr.DrainUnitAttentions(next, Pr.B));
        Assert.False(WriteCacheEnabled(next, Pr.B));
        Harness.AssertGood(Harness.Run(next, Harness.Rw10(0x2A, 0, 1), new byte[512], nexus: Pr.B));
        Assert.True(_device.Writes.Last().ForceUnitAccess, "with WCE cleared every write goes to stable storage");
    }

    [Fact]
    public void AResetReturnsThePagesToTheirDefaultsForTheOwnersAfterIt()
    {
        var first = Owner(Pr.A);
        Harness.AssertGood(SelectCaching(first, Pr.A, wce: false));
        var second = Owner(Pr.A);
        Assert.False(WriteCacheEnabled(second, Pr.A));

        second.Manage(new TaskManagementRequest(Pr.A, 1, TaskManagementFunction.LogicalUnitReset, 0));

        var third = Owner(Pr.A);
        Assert.True(WriteCacheEnabled(third, Pr.A));
        Assert.DoesNotContain(DiskUnit.ModePagesKey, _store.Values.Keys);
    }

    [Fact]
    public void TheNexusWhoseCommandChangedAModePageIsNotOwedTheChangeByTheNextOwner()
    {
        var first = Owner(Pr.A, Pr.B);
        Harness.AssertGood(SelectCaching(first, Pr.A, wce: false));

        var next = Owner();

        Assert.Equal([PowerOnReset, ModeParametersChanged], Pr.DrainUnitAttentions(next, Pr.B));
        Assert.Equal([PowerOnReset], Pr.DrainUnitAttentions(next, Pr.A));
    }

    [Fact]
    public void AnAttentionOwedToAnotherNexusIsReportedOnceAfterAChangeOfOwner()
    {
        var first = Owner(Pr.A, Pr.B);
        Pr.RegisterKey(first, Pr.A, KeyA);
        Pr.RegisterKey(first, Pr.B, KeyB);
        Harness.AssertGood(Pr.Out(first, Pr.A, Pr.Preempt, Pr.List(KeyA, KeyB), Pr.ExclusiveAccess));

        var second = Owner();
        Assert.Equal([PowerOnReset, RegistrationsPreempted], Pr.DrainUnitAttentions(second, Pr.B));
        Assert.Empty(Pr.DrainUnitAttentions(second, Pr.B));

        // Reported by the second owner: the third owes it no more.
        var third = Owner();
        Assert.Equal([PowerOnReset], Pr.DrainUnitAttentions(third, Pr.B));
    }

    [Fact]
    public void CapacityAndLunInventoryChangesOwedSurviveAChangeOfOwner()
    {
        var first = Owner(Pr.A, Pr.B);
        _device.BlockCount = 128;
        Harness.AssertSense(Harness.Run(first, Harness.Cdb6(0x00), nexus: Pr.A), 0x6, 0x2A, 0x09);   // A hears of the new capacity...
        first.SetInventory([0, 1, 2]);

        var next = Owner();

        // ...B has not: it is owed both, after what any nexus new to the owner is owed.
        Assert.Equal([PowerOnReset, (0x2A, 0x09), (0x3F, 0x0E)], Pr.DrainUnitAttentions(next, Pr.B));
    }

    [Fact]
    public void ReportingWhatNothingSavedWritesNothingAndReportingASavedAttentionWritesOnce()
    {
        var unit = Owner(Pr.A, Pr.B);
        Harness.AssertGood(SelectCaching(unit, Pr.A, wce: false));     // saves the pages and B's MODE PARAMETERS CHANGED
        Assert.Contains(DiskUnit.UnitAttentionsKey, _store.Values.Keys);
        var writes = _store.Saves + _store.Deletes;

        for (var i = 0; i < 20; i++)
        {
            Harness.AssertGood(Harness.Run(unit, Harness.Rw10(0x28, 0, 1), nexus: Pr.A));
            Harness.AssertGood(Harness.Run(unit, Harness.Cdb6(0x00), nexus: Pr.A));
        }

        Assert.Equal(writes, _store.Saves + _store.Deletes);
        Assert.Equal([ModeParametersChanged], Pr.DrainUnitAttentions(unit, Pr.B));
        Assert.Equal(writes + 1, _store.Saves + _store.Deletes);
        Assert.DoesNotContain(DiskUnit.UnitAttentionsKey, _store.Values.Keys);   // the one saved condition was reported
        Harness.AssertGood(Harness.Run(unit, Harness.Cdb6(0x00), nexus: Pr.B));
        Assert.Equal(writes + 1, _store.Saves + _store.Deletes);
    }

    [Fact]
    public void TheSavedTableKeepsTheNexusesOwedLongestOutOnceItIsFull()
    {
        // Names of the iSCSI maximum (223 bytes), so the table's size is the worst an initiator can make it.
        var nexuses = Enumerable.Range(0, 300).Select(LongNamed).ToArray();
        var unit = Owner([.. nexuses[..100]]);
        Harness.AssertGood(SelectCaching(unit, nexuses[0], wce: false));     // 99 owed MODE PARAMETERS CHANGED
        foreach (var nexus in nexuses[100..])
        {
            Harness.ClearPowerOn(unit, nexus);
        }

        Harness.AssertGood(SelectCaching(unit, nexuses[0], wce: true));      // and now 199 more: over the bound

        Assert.True(UnitAttentionCodec.TryDecode(_store.Values[DiskUnit.UnitAttentionsKey], out var saved));
        Assert.Equal(UnitAttentionPersistence.MaxNexuses, saved.Count);
        var size = _store.Values.Values.Sum(v => v.Length);
        Assert.True(size < 256 * 1024, $"the unit's saved state takes {size} bytes");

        // The oldest entries went: the next owner owes those nexuses what it owes any nexus new to it.
        var next = Owner();
        Assert.Equal([PowerOnReset], Pr.DrainUnitAttentions(next, nexuses[1]));
        Assert.Equal([PowerOnReset, ModeParametersChanged], Pr.DrainUnitAttentions(next, nexuses[299]));
    }

    [Theory]
    [InlineData(DiskUnit.ModePagesKey)]
    [InlineData(DiskUnit.UnitAttentionsKey)]
    public void UnreadableSavedStateLeavesDefaultsAndIsReported(string key)
    {
        // As in a cluster: the unit is built before its owner has read the store, then reads it back.
        var unit = Owner(Pr.A);
        _store.Values[key] = Encoding.UTF8.GetBytes("{\"version\":1,\"pages\":[\"zz\"],\"nexuses\":[{}]}");

        Assert.False(unit.RestoreState());
        Assert.True(WriteCacheEnabled(unit, Pr.A));
        Harness.AssertGood(Harness.Run(unit, Harness.Cdb6(0x00), nexus: Pr.A));
    }

    [Fact]
    public void ASavedPageThatChangesWhatCannotChangeIsNotApplied()
    {
        // The caching page with WCE cleared, and the control page (nothing changeable) with D_SENSE set.
        var caching = new byte[20];
        caching[0] = 0x08;
        caching[1] = 0x12;
        var control = new byte[12];
        control[0] = 0x0A;
        control[1] = 0x0A;
        control[2] = 0x04;
        var unit = Owner(Pr.A);
        _store.Values[DiskUnit.ModePagesKey] = Encoding.UTF8.GetBytes(
            $"{{\"version\":1,\"pages\":[\"{Convert.ToHexString(caching)}\",\"{Convert.ToHexString(control)}\"]}}");

        Assert.False(unit.RestoreState());
        Assert.False(WriteCacheEnabled(unit, Pr.A));
        Assert.Equal(0, ModeSense(unit, Pr.A, 0x0A)[2]);
    }

    /// <summary>
    /// A unit over the shared store, as a new owner builds it: it reads the store when it is made and again once it serves
    /// (<see cref="DiskUnit.RestoreState"/>), which must owe nothing twice. The given nexuses have then taken their
    /// power-on attention.
    /// </summary>
    private DiskUnit Owner(params ITNexus[] seen)
    {
        var unit = new DiskUnit(Harness.Identity, _device, state: _store);
        Assert.True(unit.RestoreState());
        unit.SetInventory([0, 1]);
        foreach (var nexus in seen)
        {
            Harness.ClearPowerOn(unit, nexus);
        }

        return unit;
    }

    private static CommandComplete SelectCaching(DiskUnit unit, ITNexus nexus, bool wce)
    {
        var page = new byte[20];
        page[0] = 0x08;
        page[1] = 0x12;
        page[2] = (byte)(wce ? 0x04 : 0);
        byte[] list = [0, 0, 0, 0, .. page];
        return Harness.Run(unit, [0x15, 0x10, 0, 0, (byte)list.Length, 0], list, nexus: nexus);
    }

    private static bool WriteCacheEnabled(DiskUnit unit, ITNexus nexus) => (ModeSense(unit, nexus, 0x08)[2] & 0x04) != 0;

    /// <summary>MODE SENSE(6) of one page, current values, no block descriptor: the page after the 4-byte header.</summary>
    private static byte[] ModeSense(DiskUnit unit, ITNexus nexus, byte page)
    {
        var answer = Harness.Run(unit, [0x1A, 0x08, page, 0, 255, 0], nexus: nexus);
        Harness.AssertGood(answer);
        return answer.DataIn.ToArray()[4..];
    }

    private static ITNexus LongNamed(int i)
    {
        var name = $"iqn.2026-01.test:{i:D4}-".PadRight(223, 'x');
        return new ITNexus(name, $"{name},i,0x23d0000{i:x5}", "iqn.2026-01.test:".PadRight(223, 't'), 7, 1);
    }
}
