namespace IscsiCluster.Admin.Contracts.Model;

/// <summary>Where a logical unit's first contents came from.</summary>
public enum LunSource
{
    /// <summary>Created empty in the node's RocksDB store (<c>--bsopts size=10G</c>); unwritten blocks read as zeros.</summary>
    Thin,

    /// <summary>Copied once from a file or block device named by <c>-b PATH</c>; the LUN never depends on it afterwards.</summary>
    Imported,
}
