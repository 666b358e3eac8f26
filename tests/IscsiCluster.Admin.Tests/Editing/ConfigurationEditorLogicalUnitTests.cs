using IscsiCluster.Admin.Contracts.Editing;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;
using static IscsiCluster.Admin.Tests.TestSupport.Edit;

namespace IscsiCluster.Admin.Tests.Editing;

public class ConfigurationEditorLogicalUnitTests
{
    private static readonly ClusterConfiguration OneTarget = ApplyAll(ClusterConfiguration.Empty, NewTarget());
    private static readonly ClusterConfiguration OneLun = ApplyAll(OneTarget, NewThinLun());

    private static AdmRequest Lun(AdmOp op, ulong? lun = 1, int? tid = 1) => new(AdmMode.LogicalUnit, op) { Tid = tid, Lun = lun };

    private static AdmRequest Resize(string size, ulong lun = 1, int tid = 1) => Lun(AdmOp.Update, lun, tid) with { Params = $"size={size}" };

    [Fact]
    public void NewThinLunTakesItsSizeFromBsopts()
    {
        var lun = Apply(OneTarget, NewThinLun(size: "10G") with { BsType = "rocksdb" }).Configuration.FindTarget(1)!.FindLun(1);
        Assert.Equal(new LunDefinition(1, 10L << 30, 512, "rocksdb:thin", "rocksdb", LunSource.Thin), lun);
    }

    [Fact]
    public void NewImportedLunTakesTheSizeTheNodeMeasured()
    {
        var request = Lun(AdmOp.New) with { BackingStore = "/dev/sda5", BsType = "rdwr" };
        var lun = Apply(OneTarget, request, new EditContext(new HashSet<int>(), 5000)).Configuration.FindTarget(1)!.FindLun(1);

        // Like tgt, a trailing partial block is not exposed.
        Assert.Equal(new LunDefinition(1, 4608, 512, "/dev/sda5", "rocksdb", LunSource.Imported), lun);
    }

    [Fact]
    public void NewLunsStayInLunOrderAndKeepTheBlockSize()
    {
        var configuration = ApplyAll(OneTarget, NewThinLun(lun: 3), NewThinLun(lun: 2, size: "8M") with { BlockSize = 4096 });
        var luns = configuration.FindTarget(1)!.Luns;

        Assert.Equal([2UL, 3UL], luns.Select(l => l.Lun));
        Assert.Equal(4096, luns[0].BlockSize);
    }

    [Fact]
    public void NewLunRefusesLunZeroAsReservedAndTidZero()
    {
        Refused(AdmError.ReservedLun, Apply(OneTarget, NewThinLun(lun: 0)), OneTarget);
        Refused(AdmError.ReservedTid, Apply(OneTarget, NewThinLun(tid: 0)), OneTarget);
    }

    [Fact]
    public void NewLunRefusesAMissingTargetTidOrLun()
    {
        Refused(AdmError.NoTarget, Apply(OneTarget, NewThinLun(tid: 2)), OneTarget);
        Refused(AdmError.InvalidRequest, Apply(OneTarget, NewThinLun() with { Tid = null }), OneTarget);
        Refused(AdmError.InvalidRequest, Apply(OneTarget, NewThinLun() with { Lun = null }), OneTarget);
    }

    [Fact]
    public void NewLunRefusesAnExistingLun() => Refused(AdmError.LunExists, Apply(OneLun, NewThinLun()), OneLun);

    [Theory]
    [InlineData("size=0")]
    [InlineData("size=1000")]
    [InlineData("size=ten")]
    [InlineData("size")]
    public void NewLunRefusesSizesThatAreNotWholeBlocks(string bsOpts) =>
        Refused(AdmError.InvalidSize, Apply(OneTarget, NewThinLun() with { BsOpts = bsOpts }), OneTarget);

    [Fact]
    public void NewLunNeedsASizeOrABackingStoreButNotBoth()
    {
        Refused(AdmError.InvalidSize, Apply(OneTarget, Lun(AdmOp.New)), OneTarget);
        var both = NewThinLun() with { BackingStore = "/tmp/x" };
        Refused(AdmError.InvalidRequest, Apply(OneTarget, both, new EditContext(new HashSet<int>(), 4096)), OneTarget);
    }

    [Fact]
    public void NewLunRefusesABackingStoreTheNodeCouldNotOpenOrThatIsEmpty()
    {
        var request = Lun(AdmOp.New) with { BackingStore = "/nonexistent" };
        Refused(AdmError.BackingStoreUnavailable, Apply(OneTarget, request), OneTarget);
        Refused(AdmError.InvalidSize, Apply(OneTarget, request, new EditContext(new HashSet<int>(), 100)), OneTarget);
    }

    [Fact]
    public void NewLunRefusesUnknownBsoptsUnservedBstypesAndDeviceTypes()
    {
        Refused(AdmError.UnknownParam, Apply(OneTarget, NewThinLun() with { BsOpts = "size=1G;pool=fast" }), OneTarget);
        Refused(AdmError.UnsupportedOperation, Apply(OneTarget, NewThinLun() with { BsType = "rbd" }), OneTarget);
        Refused(AdmError.UnsupportedOperation, Apply(OneTarget, NewThinLun() with { DeviceType = "tape" }), OneTarget);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(1000)]
    [InlineData(8192)]
    public void NewLunRefusesBlockSizesOtherThan512To4096PowersOfTwo(int blockSize) =>
        Refused(AdmError.InvalidRequest, Apply(OneTarget, NewThinLun() with { BlockSize = blockSize }), OneTarget);

    [Fact]
    public void NewLunAcceptsTgtsBsoflagsAndRefusesOthers()
    {
        Assert.True(Apply(OneTarget, NewThinLun() with { BsOFlags = "sync:direct" }).Succeeded);
        Refused(AdmError.InvalidRequest, Apply(OneTarget, NewThinLun() with { BsOFlags = "async" }), OneTarget);
    }

    [Fact]
    public void DeleteLunRemovesItAndRefusesMissingAndReservedLuns()
    {
        Assert.Empty(Apply(OneLun, Lun(AdmOp.Delete)).Configuration.FindTarget(1)!.Luns);
        Refused(AdmError.NoLun, Apply(OneLun, Lun(AdmOp.Delete, 2)), OneLun);
        Refused(AdmError.ReservedLun, Apply(OneLun, Lun(AdmOp.Delete, 0)), OneLun);
        Refused(AdmError.NoTarget, Apply(OneLun, Lun(AdmOp.Delete, 1, 5)), OneLun);
    }

    [Fact]
    public void UpdateLunSetsInquiryStrings()
    {
        var lun = Apply(OneLun, Lun(AdmOp.Update) with { Params = "vendor_id=ACME,product_id=Cluster Disk,product_rev=0.1" })
            .Configuration.FindTarget(1)!.FindLun(1)!;

        Assert.Equal(("ACME", "Cluster Disk", "0.1"), (lun.VendorId, lun.ProductId, lun.ProductRevision));
    }

    [Fact]
    public void UpdateLunRefusesIdentityChangesUnknownKeysLongValuesAndNoParams()
    {
        Refused(AdmError.UnsupportedOperation, Apply(OneLun, Lun(AdmOp.Update) with { Params = "scsi_sn=abc" }), OneLun);
        Refused(AdmError.UnknownParam, Apply(OneLun, Lun(AdmOp.Update) with { Params = "flavour=mint" }), OneLun);
        Refused(AdmError.InvalidRequest, Apply(OneLun, Lun(AdmOp.Update) with { Params = "vendor_id=MuchTooLongVendor" }), OneLun);
        Refused(AdmError.InvalidRequest, Apply(OneLun, Lun(AdmOp.Update)), OneLun);
        Refused(AdmError.NoLun, Apply(OneLun, Lun(AdmOp.Update, 4) with { Params = "vendor_id=A" }), OneLun);
        Refused(AdmError.ReservedLun, Apply(OneLun, Lun(AdmOp.Update, 0) with { Params = "vendor_id=A" }), OneLun);
    }

    [Fact]
    public void UpdateLunGrowsTheLunAndKeepsItsVolumeAndIdentity()
    {
        var before = OneLun.WithLunVolumeId(1, 1, 42);
        var result = Apply(before, Resize("2G"));

        Assert.True(result.Changed);
        Assert.Equal(before.FindTarget(1)!.FindLun(1)! with { SizeBytes = 2L << 30 }, result.Configuration.FindTarget(1)!.FindLun(1));
    }

    [Fact]
    public void UpdateLunResizesAndSetsInquiryStringsInOneRequest()
    {
        var lun = Apply(OneLun, Lun(AdmOp.Update) with { Params = "size=3G,vendor_id=ACME" }).Configuration.FindTarget(1)!.FindLun(1)!;

        Assert.Equal((3L << 30, "ACME"), (lun.SizeBytes, lun.VendorId));
    }

    [Fact]
    public void UpdateLunRefusesAShrinkWithoutForceAndSaysWhatIsLost()
    {
        var result = Apply(OneLun, Resize("512M"));

        Refused(AdmError.ShrinkNeedsForce, result, OneLun);
        Assert.Equal("lun 1 of tid 1 from 1 GiB to 512 MiB", result.Detail);
        var message = AdmErrors.Describe(result.Error, result.Detail);
        Assert.Contains("discards the data past its new end", message, StringComparison.Ordinal);
        Assert.Contains("--force", message, StringComparison.Ordinal);
    }

    [Fact]
    public void UpdateLunShrinksWithForce()
    {
        var lun = Apply(OneLun, Resize("512M") with { Force = true }).Configuration.FindTarget(1)!.FindLun(1)!;

        Assert.Equal(512L << 20, lun.SizeBytes);
    }

    [Fact]
    public void UpdateLunToTheSameSizeSucceedsWithoutForce() =>
        Assert.Equal(1L << 30, Apply(OneLun, Resize("1024M")).Configuration.FindTarget(1)!.FindLun(1)!.SizeBytes);

    [Theory]
    [InlineData("size=0")]
    [InlineData("size=1000")]
    [InlineData("size=ten")]
    [InlineData("size=-1G")]
    [InlineData("size=")]
    [InlineData("size")]
    public void UpdateLunRefusesSizesThatAreNotPositiveWholeBlocks(string parameters) =>
        Refused(AdmError.InvalidSize, Apply(OneLun, Lun(AdmOp.Update) with { Params = parameters, Force = true }), OneLun);

    [Fact]
    public void UpdateLunRefusesASizeThatIsNotAMultipleOfTheLunsOwnBlockSize()
    {
        var bigBlocks = ApplyAll(OneTarget, NewThinLun(size: "8M") with { BlockSize = 4096 });

        // 6 KiB is whole 512-byte blocks but not whole 4096-byte ones.
        var result = Apply(bigBlocks, Resize("6K"));

        Refused(AdmError.InvalidSize, result, bigBlocks);
        Assert.Contains("4096-byte blocks", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void UpdateLunSizeRefusesLunZeroAndUnknownLunsAndTargets()
    {
        Refused(AdmError.ReservedLun, Apply(OneLun, Resize("2G", lun: 0)), OneLun);
        Refused(AdmError.NoLun, Apply(OneLun, Resize("2G", lun: 2)), OneLun);
        Refused(AdmError.NoTarget, Apply(OneLun, Resize("2G", tid: 3)), OneLun);
        Refused(AdmError.ReservedTid, Apply(OneLun, Resize("2G", tid: 0)), OneLun);
    }

    [Fact]
    public void UpdateLunResizesAnImportedLunToo()
    {
        var imported = Apply(OneTarget, Lun(AdmOp.New) with { BackingStore = "/dev/sda5" }, new EditContext(new HashSet<int>(), 1 << 20)).Configuration;

        var lun = Apply(imported, Resize("4M")).Configuration.FindTarget(1)!.FindLun(1)!;

        Assert.Equal((4L << 20, LunSource.Imported, "/dev/sda5"), (lun.SizeBytes, lun.Source, lun.BackingStoreDescription));
    }

    [Fact]
    public void StatOfALunIsReadOnlyAndNeedsTheLun()
    {
        Assert.False(Apply(OneLun, Lun(AdmOp.Stat)).Changed);
        Assert.True(Apply(OneLun, Lun(AdmOp.Stat, 0)).Succeeded);
        Refused(AdmError.NoLun, Apply(OneLun, Lun(AdmOp.Stat, 9)), OneLun);
    }

    [Fact]
    public void TheNodeRecordsAVolumeIdOnANewLun()
    {
        var withVolume = OneLun.WithLunVolumeId(1, 1, 42);
        Assert.Equal(42UL, withVolume.FindTarget(1)!.FindLun(1)!.VolumeId);
        Assert.Throws<KeyNotFoundException>(() => OneLun.WithLunVolumeId(1, 9, 42));
    }
}
