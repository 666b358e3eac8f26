using System.Text;
using IscsiCluster.Storage.RocksDb;
using RocksDbSharp;

namespace IscsiCluster.Storage.Tests;

public sealed class RocksDatabaseTests : IDisposable
{
    private static readonly RocksDbOptions SmallOptions = new() { BlockCacheSize = 8 * RocksDbOptions.MiB, WriteBufferSize = 4 * RocksDbOptions.MiB };

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void PutThenGetReturnsTheValueAndDeleteRemovesIt()
    {
        using var db = RocksDatabase.Open(_dir.Sub("db"), SmallOptions);

        db.Put(Bytes("key"), Bytes("value"));
        Assert.Equal(Bytes("value"), db.Get(Bytes("key")));

        db.Delete(Bytes("key"), sync: true);
        Assert.Null(db.Get(Bytes("key")));
    }

    [Fact]
    public void GetOfAMissingKeyReturnsNullAndTryGetReturnsFalse()
    {
        using var db = RocksDatabase.Open(_dir.Sub("db"), SmallOptions);
        var destination = new byte[4];

        Assert.Null(db.Get(Bytes("missing")));
        Assert.False(db.TryGet(Bytes("missing"), destination, out var length));
        Assert.Equal(0, length);
    }

    [Fact]
    public void TryGetCopiesThePinnedValueAndReportsItsFullLength()
    {
        using var db = RocksDatabase.Open(_dir.Sub("db"), SmallOptions);
        db.Put(Bytes("k"), Bytes("0123456789"));

        var whole = new byte[10];
        Assert.True(db.TryGet(Bytes("k"), whole, out var length));
        Assert.Equal(10, length);
        Assert.Equal(Bytes("0123456789"), whole);

        var part = new byte[3];
        Assert.True(db.TryGet(Bytes("k"), 4, part, out length));
        Assert.Equal(10, length);
        Assert.Equal(Bytes("456"), part);

        var tooShort = new byte[4];
        Assert.True(db.TryGet(Bytes("k"), tooShort, out length));
        Assert.Equal(10, length);
        Assert.Equal(Bytes("0123"), tooShort);
    }

    [Fact]
    public void AWriteBatchIsInvisibleUntilWrittenAndThenAppliesEveryOperation()
    {
        using var db = RocksDatabase.Open(_dir.Sub("db"), SmallOptions);
        db.Put(Bytes("old"), Bytes("1"));
        using var batch = new WriteBatch();

        batch.Put(Bytes("a"), Bytes("A"));
        batch.Put(Bytes("b"), Bytes("B"));
        batch.Delete(Bytes("old"));
        Assert.Equal(3, batch.Count());
        Assert.Null(db.Get(Bytes("a")));
        Assert.NotNull(db.Get(Bytes("old")));

        db.Write(batch, sync: true);

        Assert.Equal(Bytes("A"), db.Get(Bytes("a")));
        Assert.Equal(Bytes("B"), db.Get(Bytes("b")));
        Assert.Null(db.Get(Bytes("old")));
    }

    [Fact]
    public void AClearedBatchWritesNothing()
    {
        using var db = RocksDatabase.Open(_dir.Sub("db"), SmallOptions);
        using var batch = new WriteBatch();
        batch.Put(Bytes("a"), Bytes("A"));

        batch.Clear();
        db.Write(batch);

        Assert.Equal(0, batch.Count());
        Assert.Null(db.Get(Bytes("a")));
    }

    [Fact]
    public void ABatchedDeleteRangeRemovesExactlyTheHalfOpenRange()
    {
        using var db = RocksDatabase.Open(_dir.Sub("db"), SmallOptions);
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            db.Put(Bytes(key), Bytes(key));
        }

        using var batch = new WriteBatch();
        batch.DeleteRange(Bytes("b"), Bytes("d"));
        db.Write(batch);

        Assert.NotNull(db.Get(Bytes("a")));
        Assert.Null(db.Get(Bytes("b")));
        Assert.Null(db.Get(Bytes("c")));
        Assert.NotNull(db.Get(Bytes("d")));
    }

    [Fact]
    public void ScanRangeReturnsKeysInBytewiseOrderWithinItsBounds()
    {
        using var db = RocksDatabase.Open(_dir.Sub("db"), SmallOptions);
        var random = new Random(7);
        var keys = new List<byte[]>();
        for (var i = 0; i < 200; i++)
        {
            var key = new byte[random.Next(1, 6)];
            random.NextBytes(key);
            keys.Add(key);
            db.Put(key, key);
        }

        byte[] lower = [0x40];
        byte[] upper = [0xC0];
        var expected = keys
            .Where(k => k.AsSpan().SequenceCompareTo(lower) >= 0 && k.AsSpan().SequenceCompareTo(upper) < 0)
            .Select(Convert.ToHexString)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        var actual = new List<string>();
        db.ScanRange(lower, upper, ref actual, static (ref List<string> seen, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
        {
            Assert.True(key.SequenceEqual(value));
            seen.Add(Convert.ToHexString(key));
        });

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void ScanRangeVisitsExactlyTheHalfOpenRangeInKeyOrder()
    {
        using var db = RocksDatabase.Open(_dir.Sub("db"), SmallOptions);
        foreach (var key in new[] { "a", "b1", "b2", "b3", "c" })
        {
            db.Put(Bytes(key), Bytes("v" + key));
        }

        var visited = new List<string>();
        db.ScanRange(Bytes("b"), Bytes("b3"), ref visited, static (ref List<string> seen, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
            seen.Add(Encoding.UTF8.GetString(key) + "=" + Encoding.UTF8.GetString(value)));

        Assert.Equal(["b1=vb1", "b2=vb2"], visited);
    }

    [Fact]
    public void ScanRangeOfAnEmptyRangeVisitsNothingAndRefusesAnOpenEnd()
    {
        using var db = RocksDatabase.Open(_dir.Sub("db"), SmallOptions);
        db.Put(Bytes("z"), Bytes("value"));
        var count = 0;
        RangeVisitor<int> countEntries = static (ref int n, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => n++;

        db.ScanRange(Bytes("a"), Bytes("b"), ref count, countEntries);

        Assert.Equal(0, count);
        Assert.Throws<ArgumentOutOfRangeException>(() => db.ScanRange(Bytes("a"), default, ref count, countEntries));
    }

    [Fact]
    public void OpeningADirectoryThatIsAFileThrowsRocksDbException()
    {
        var path = _dir.Sub("file");
        File.WriteAllText(path, "not a database");

        var error = Assert.Throws<RocksDbException>(() => RocksDatabase.Open(path, SmallOptions));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void OpeningTheSameDatabaseTwiceFailsWithRocksDbsLockError()
    {
        using var db = RocksDatabase.Open(_dir.Sub("db"), SmallOptions);

        var error = Assert.Throws<RocksDbException>(() => RocksDatabase.Open(_dir.Sub("db"), SmallOptions));

        Assert.Contains("lock", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void OpeningAMissingDatabaseWithoutCreateIfMissingThrows()
    {
        Assert.Throws<RocksDbException>(() => RocksDatabase.Open(_dir.Sub("absent"), SmallOptions with { CreateIfMissing = false }));
    }

    [Fact]
    public void DisposingTwiceIsHarmless()
    {
        var db = RocksDatabase.Open(_dir.Sub("db"), SmallOptions);
        var batch = new WriteBatch();

        batch.Dispose();
        batch.Dispose();
        db.Dispose();
        db.Dispose();

        using var reopened = RocksDatabase.Open(_dir.Sub("db"), SmallOptions);
        Assert.Null(reopened.Get(Bytes("k")));
    }

    [Fact]
    public void DataSurvivesCloseAndReopen()
    {
        using (var db = RocksDatabase.Open(_dir.Sub("db"), SmallOptions))
        {
            db.Put(Bytes("durable"), Bytes("yes"), sync: true);
            db.Put(Bytes("unsynced"), Bytes("also"));
        }

        using var reopened = RocksDatabase.Open(_dir.Sub("db"), SmallOptions);
        Assert.Equal(Bytes("yes"), reopened.Get(Bytes("durable")));
        Assert.Equal(Bytes("also"), reopened.Get(Bytes("unsynced")));
    }

    [Fact]
    public void FlushWalAndCompactRangeKeepTheData()
    {
        using var db = RocksDatabase.Open(_dir.Sub("db"), SmallOptions);
        db.Put(Bytes("a"), Bytes("1"));
        db.Put(Bytes("b"), Bytes("2"));
        db.Delete(Bytes("a"));

        db.FlushWal(sync: true);
        db.CompactRange(default, default);

        Assert.Null(db.Get(Bytes("a")));
        Assert.Equal(Bytes("2"), db.Get(Bytes("b")));
    }

    [Fact]
    public void KnownPropertiesHaveValuesAndUnknownOnesAreNull()
    {
        using var db = RocksDatabase.Open(_dir.Sub("db"), SmallOptions);
        db.Put(Bytes("a"), Bytes("1"));

        Assert.Contains("DB Stats", db.GetProperty("rocksdb.stats"), StringComparison.Ordinal);
        Assert.Equal("1", db.GetProperty("rocksdb.estimate-num-keys"));
        Assert.Null(db.GetProperty("rocksdb.no-such-property"));
    }

    [Fact]
    public void BlobFilesAndTheLevelStyleOptimizationOpenAndStoreValues()
    {
        var options = SmallOptions with { EnableBlobFiles = true, MinBlobSize = 16, LevelStyleCompactionMemtableBudget = 16 * RocksDbOptions.MiB, WalDirectory = _dir.Sub("wal") };
        var value = new byte[4096];
        new Random(3).NextBytes(value);
        using (var db = RocksDatabase.Open(_dir.Sub("db"), options))
        {
            db.Put(Bytes("blob"), value);
            db.CompactRange(default, default);
            Assert.Equal(value, db.Get(Bytes("blob")));
        }

        Assert.NotEmpty(Directory.GetFiles(_dir.Sub("wal")));
        using var reopened = RocksDatabase.Open(_dir.Sub("db"), options);
        Assert.Equal(value, reopened.Get(Bytes("blob")));
    }

    [Fact]
    public void InvalidOptionsAreRefusedBeforeRocksDbIsCalled()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RocksDatabase.Open(_dir.Sub("db"), SmallOptions with { MaxBackgroundJobs = 0 }));
        Assert.False(Directory.Exists(_dir.Sub("db")));
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
