namespace IscsiCluster.Node.Luns;

/// <summary>
/// How a LUN's replicated address space is laid out: the unit's own state (persistent reservations, changed mode pages,
/// unit attentions owed; <see cref="ReplicatedUnitState"/>) in a region before
/// the blocks, then the blocks. Both are replicated by the same log, so the state is the same on every node and a new
/// owner finds it as the last owner left it.
/// </summary>
public static class ReplicatedLayout
{
    /// <summary>The unit state region: [0, 1 MiB).</summary>
    public const long StateRegionBytes = 1024 * 1024;

    /// <summary>Where the LUN's block 0 starts.</summary>
    public const long DataOffset = StateRegionBytes;

    /// <summary>The replicated size of a LUN of <paramref name="lunBytes"/>.</summary>
    public static long ReplicatedBytes(long lunBytes) => DataOffset + lunBytes;

    /// <summary>The LUN's size from its replicated size.</summary>
    public static long LunBytes(long replicatedBytes) => replicatedBytes - DataOffset;
}
