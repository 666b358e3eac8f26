using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Storage;

/// <summary>
/// A consistent, read-only view of a replica's blocks at one log position (a RocksDB snapshot in production): a catch-up
/// source reads every chunk of a session from one, so that the target installs one position's contents, whatever was
/// appended meanwhile.
/// </summary>
public interface IReplicaSnapshot : IDisposable
{
    /// <summary>The log position whose contents the snapshot shows.</summary>
    LogPosition Position { get; }

    /// <summary>The contents of <paramref name="range"/> as of <see cref="Position"/>.</summary>
    ReadOnlyMemory<byte> Read(ByteRange range);
}
