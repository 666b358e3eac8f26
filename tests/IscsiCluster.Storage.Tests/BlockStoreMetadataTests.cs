namespace IscsiCluster.Storage.Tests;

public sealed class BlockStoreMetadataTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void MetadataRoundTripsAndMissingKeysAreAbsent()
    {
        using var store = Open();

        store.PutMetadata("config/targets", [1, 2, 3], sync: true);

        Assert.True(store.TryGetMetadata("config/targets", out var value));
        Assert.Equal([1, 2, 3], value);
        Assert.False(store.TryGetMetadata("config/missing", out var missing));
        Assert.Null(missing);
    }

    [Fact]
    public void AnEmptyValueIsStoredAndDistinctFromAbsence()
    {
        using var store = Open();

        store.PutMetadata("flag", ReadOnlySpan<byte>.Empty, sync: false);

        Assert.True(store.TryGetMetadata("flag", out var value));
        Assert.Empty(value);
    }

    [Fact]
    public void DeleteMetadataRemovesOnlyThatKey()
    {
        using var store = Open();
        store.PutMetadata("a", [1], sync: false);
        store.PutMetadata("b", [2], sync: false);

        store.DeleteMetadata("a", sync: true);
        store.DeleteMetadata("never-there", sync: false);

        Assert.False(store.TryGetMetadata("a", out _));
        Assert.True(store.TryGetMetadata("b", out _));
    }

    [Fact]
    public void ListMetadataReturnsExactlyThePrefixedKeysInOrder()
    {
        using var store = Open();
        store.PutMetadata("pr/lun2/key", [2], sync: false);
        store.PutMetadata("pr/lun1/key", [1], sync: false);
        store.PutMetadata("pr/lun1/gen", [3], sync: false);
        store.PutMetadata("pr", [4], sync: false);
        store.PutMetadata("pq/other", [5], sync: false);
        store.PutMetadata("ps", [6], sync: false);

        var lun1 = store.ListMetadata("pr/lun1/");
        var all = store.ListMetadata("");

        Assert.Equal(["pr/lun1/gen", "pr/lun1/key"], lun1.Select(e => e.Key));
        Assert.Equal([3], lun1[0].Value);
        Assert.Equal(["pq/other", "pr", "pr/lun1/gen", "pr/lun1/key", "pr/lun2/key", "ps"], all.Select(e => e.Key));
    }

    [Fact]
    public void MetadataIsSeparateFromVolumesAndSurvivesReopen()
    {
        using (var store = Open())
        {
            store.CreateVolume(1, 4096);
            store.PutMetadata("état/ü", [9], sync: false);
        }

        using var reopened = Open();
        Assert.Equal(["état/ü"], reopened.ListMetadata("").Select(e => e.Key));
        Assert.Single(reopened.ListVolumes());
    }

    [Fact]
    public void EmptyOrNullKeysAreRefused()
    {
        using var store = Open();

        Assert.Throws<ArgumentException>(() => store.PutMetadata("", [1], sync: false));
        Assert.Throws<ArgumentNullException>(() => store.TryGetMetadata(null!, out _));
        Assert.Throws<ArgumentNullException>(() => store.ListMetadata(null!));
    }

    private BlockStore Open() => BlockStore.Open(_dir.Sub("store"), StoreTestOptions.Small);
}
