namespace IscsiCluster.Storage.RocksDb;

/// <summary>An error reported by RocksDB; the message is RocksDB's own status text.</summary>
public sealed class RocksDbException : Exception
{
    public RocksDbException()
        : base("RocksDB reported an error.")
    {
    }

    public RocksDbException(string message)
        : base(message)
    {
    }

    public RocksDbException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
