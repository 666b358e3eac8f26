using System.Text;
using IscsiCluster.Storage.RocksDb;

namespace IscsiCluster.Storage.Tests;

public sealed class DatabaseLifetimeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void DisposeClosesAtOnceWhenNoCallIsInFlightAndOnlyOnce()
    {
        var closes = 0;
        var lifetime = new DatabaseLifetime(() => closes++);

        lifetime.Dispose();
        lifetime.Dispose();

        Assert.Equal(1, closes);
        Assert.Throws<ObjectDisposedException>(() => lifetime.Enter(this));
        Assert.Equal(1, closes);
    }

    [Fact]
    public void DisposeDuringCallsClosesWhenTheLastOneLeaves()
    {
        var closes = 0;
        var lifetime = new DatabaseLifetime(() => closes++);
        var first = lifetime.Enter(this);
        var second = lifetime.Enter(this);

        lifetime.Dispose();
        Assert.Throws<ObjectDisposedException>(() => lifetime.Enter(this));
        first.Dispose();
        Assert.Equal(0, closes);
        second.Dispose();

        Assert.Equal(1, closes);
    }

    [Fact]
    public void ADatabaseDisposedDuringAScanClosesOnlyAfterTheScanReturns()
    {
        var db = RocksDatabase.Open(_dir.Sub("db"), new RocksDbOptions { BlockCacheSize = 8 * RocksDbOptions.MiB });
        foreach (var key in new[] { "a", "b", "c" })
        {
            db.Put(Encoding.UTF8.GetBytes(key), "v"u8);
        }

        var state = (Db: db, Seen: 0);
        db.ScanRange("a"u8, "z"u8, ref state, static (ref (RocksDatabase Db, int Seen) s, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
        {
            s.Db.Dispose();
            s.Seen += value.Length;
        });

        Assert.Equal(3, state.Seen);
        Assert.Throws<ObjectDisposedException>(() => db.Get("a"u8));

        // Closed, so the directory's LOCK is free again.
        using var reopened = RocksDatabase.Open(_dir.Sub("db"), new RocksDbOptions { BlockCacheSize = 8 * RocksDbOptions.MiB });
        Assert.Equal("v"u8.ToArray(), reopened.Get("c"u8));
    }
}
