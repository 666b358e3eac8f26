using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Storage;

/// <summary>
/// What a replica keeps durably besides block data, each part written in the same atomic batch as the data it describes
/// (REPLICATION.md "State").
/// </summary>
/// <param name="Promised">Highest epoch promised; every message of a lower epoch is refused.</param>
/// <param name="PromisedOwner">Node the promise of <paramref name="Promised"/> was made to.</param>
/// <param name="PromisedIncarnation">That owner's incarnation, or 0 when the epoch was adopted from an append.</param>
/// <param name="Last">The last entry of the log.</param>
/// <param name="Committed">The highest index the owner reported durably committed on a majority, and which this log shares.</param>
/// <param name="Tail">Metadata of the most recent entries, contiguous and ending at <paramref name="Last"/> (or empty).</param>
/// <param name="ExtentVersions">
/// The extent versions recorded: the last index that changed each extent, unless an entry of <paramref name="Tail"/> changed
/// it later (the replica takes the later one). Extents never written are absent.
/// </param>
public sealed record ReplicaDurableState(
    long Promised,
    int PromisedOwner,
    long PromisedIncarnation,
    LogPosition Last,
    long Committed,
    IReadOnlyList<EntryMetadata> Tail,
    IReadOnlyList<ExtentVersion> ExtentVersions)
{
    /// <summary>A replica that has never promised nor written anything.</summary>
    public static ReplicaDurableState Empty { get; } = new(0, 0, 0, LogPosition.Origin, 0, [], []);
}
