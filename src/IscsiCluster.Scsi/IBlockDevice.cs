namespace IscsiCluster.Scsi;

/// <summary>
/// The only thing the SCSI command set needs from a backing store: primitive block
/// operations (the way LIO's backends and tgt's bs_* modules work). Addresses and
/// lengths are in logical blocks of <see cref="BlockSize"/> bytes; buffers are a
/// whole number of blocks. Implementations never see a CDB.
/// <para>
/// A call may return before its work is done (a write waiting for a group commit, a long
/// read on another thread), and the unit may make later calls meanwhile: a SIMPLE READ or
/// WRITE overlaps later commands (<see cref="IScsiUnit.MayOverlap"/>). A device therefore
/// applies writes in the order of the calls, and every later call sees the writes called
/// before it, whether or not their tasks have completed. A write's source buffer stays
/// valid until its task completes.
/// </para>
/// </summary>
public interface IBlockDevice
{
    /// <summary>Logical block size in bytes (512 or 4096).</summary>
    int BlockSize { get; }

    /// <summary>Number of logical blocks.</summary>
    long BlockCount { get; }

    /// <summary>Reads blocks; blocks never written (or unmapped) read as zeros.</summary>
    ValueTask ReadAsync(long lba, Memory<byte> destination, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes blocks, all or nothing: after a failure or a power loss either every block of the
    /// call holds the new data or none does (WRITE ATOMIC relies on it). With
    /// <paramref name="forceUnitAccess"/> it returns only once the data is on stable storage.
    /// </summary>
    ValueTask WriteAsync(long lba, ReadOnlyMemory<byte> source, bool forceUnitAccess, CancellationToken cancellationToken = default);

    /// <summary>Makes every completed write durable (SYNCHRONIZE CACHE).</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Deallocates blocks; they read as zeros afterwards and free their space.</summary>
    ValueTask UnmapAsync(long lba, long blockCount, CancellationToken cancellationToken = default);
}
