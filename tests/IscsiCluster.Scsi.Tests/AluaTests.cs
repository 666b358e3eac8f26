using System.Buffers.Binary;
using IscsiCluster.Scsi.Alua;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

/// <summary>Implicit ALUA across nodes (SPC-4 5.15.2): one picture of the groups on every path, and a gate on inaccessible ports.</summary>
public class AluaTests
{
    private readonly FakeGroups _groups = new()
    {
        Current =
        [
            new TargetPortGroup(1, AsymmetricAccessState.ActiveNonOptimized, 1),
            new TargetPortGroup(2, AsymmetricAccessState.ActiveOptimized, 2),
            new TargetPortGroup(3, AsymmetricAccessState.Unavailable, 3),
        ],
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ReportTargetPortGroupsGivesEveryGroupTheSameWayOnEveryPath(ushort path)
    {
        var unit = NewUnit();
        var nexus = Harness.Nexus(port: path) with { TargetPortGroup = path };
        Harness.ClearPowerOn(unit, nexus);

        var data = Harness.Run(unit, Rtpg(), nexus: nexus).DataIn.ToArray();

        Assert.Equal(4 + 3 * 12, data.Length);
        Assert.Equal(36u, BinaryPrimitives.ReadUInt32BigEndian(data));
        Assert.Equal([0x01, 0x8B, 0, 1], data[4..8]);          // active/non-optimized; AO AN U T supported; group 1
        Assert.Equal([0x80, 0x8B, 0, 2], data[16..20]);        // PREF, active/optimized, group 2
        Assert.Equal([0x03, 0x8B, 0, 3], data[28..32]);        // unavailable, group 3
        Assert.Equal(2, BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(16 + 10)));   // group 2's relative port
        Assert.All(new[] { 4, 16, 28 }, at => Assert.Equal(1, data[at + 7]));          // one port each
    }

    [Fact]
    public void APathThroughAnUnavailableGroupAnswersNotReadyButStillReports()
    {
        var unit = NewUnit();
        var nexus = Harness.Nexus(port: 3) with { TargetPortGroup = 3 };
        Harness.ClearPowerOn(unit, nexus);

        Harness.AssertSense(Harness.Run(unit, Harness.Cdb6(0x00), nexus: nexus), 0x2, 0x04, 0x0C);
        Harness.AssertSense(Harness.Run(unit, Read10(), nexus: nexus, dataInLength: 512), 0x2, 0x04, 0x0C);
        Harness.AssertGood(Harness.Run(unit, Harness.Cdb6(0x12, 0, 0, 96), nexus: nexus));
        Harness.AssertGood(Harness.Run(unit, Rtpg(), nexus: nexus));
    }

    [Fact]
    public void WhileTheOwnerIsTransitioningEveryPathAnswersAsymmetricAccessStateTransition()
    {
        var unit = NewUnit();
        var nexus = Harness.Nexus(port: 2) with { TargetPortGroup = 2 };
        Harness.ClearPowerOn(unit, nexus);
        _groups.Current = [.. _groups.Current.Select(g => g with { State = AsymmetricAccessState.Transitioning })];

        Harness.AssertSense(Harness.Run(unit, Harness.Cdb6(0x00), nexus: nexus), 0x2, 0x04, 0x0A);
        Harness.AssertGood(Harness.Run(unit, Rtpg(), nexus: nexus));
    }

    [Fact]
    public void AStateChangeOwesEveryKnownNexusAsymmetricAccessStateChanged()
    {
        var unit = NewUnit();
        var nexus = Harness.Nexus(port: 1) with { TargetPortGroup = 1 };
        Harness.ClearPowerOn(unit, nexus);

        unit.NotifyAsymmetricAccessStateChanged();

        Harness.AssertSense(Harness.Run(unit, Harness.Cdb6(0x00), nexus: nexus), 0x6, 0x2A, 0x06);
        Harness.AssertGood(Harness.Run(unit, Harness.Cdb6(0x00), nexus: nexus));
    }

    private DiskUnit NewUnit()
    {
        var unit = new DiskUnit(Harness.Identity, new MemoryBlockDevice(512, 64), portGroups: _groups);
        unit.SetInventory([0, 1]);
        return unit;
    }

    private static byte[] Rtpg() => [0xA3, 0x0A, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0];

    private static byte[] Read10() => [0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0];

    private sealed class FakeGroups : IPortGroups
    {
        public IReadOnlyList<TargetPortGroup> Current { get; set; } = [];

        public IReadOnlyList<TargetPortGroup> Groups => Current;

        public AsymmetricAccessState StateOf(ushort group) =>
            Current.FirstOrDefault(g => g.Group == group) is { Group: not 0 } found ? found.State : AsymmetricAccessState.Unavailable;
    }
}
