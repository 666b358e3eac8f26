using RocksDbSharp;

namespace IscsiCluster.Storage.RocksDb;

/// <summary>The span overload RocksDbSharp's <see cref="WriteBatch"/> lacks for range deletes (it has arrays and pointers).</summary>
internal static unsafe class WriteBatchExtensions
{
    /// <summary>Removes every key in [<paramref name="startKey"/>, <paramref name="endKey"/>) with one range tombstone.</summary>
    public static void DeleteRange(this WriteBatch batch, ReadOnlySpan<byte> startKey, ReadOnlySpan<byte> endKey)
    {
        fixed (byte* start = startKey)
        fixed (byte* end = endKey)
        {
            batch.DeleteRange(start, (ulong)startKey.Length, end, (ulong)endKey.Length);
        }
    }
}
