namespace IscsiCluster.Replication.Owner;

/// <summary>A write or flush finished.</summary>
/// <param name="Tag">The host's identifier of the command.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Index">The log index of the write (or the index a flush covered); 0 when it never got one.</param>
public readonly record struct Completion(long Tag, CompletionStatus Status, long Index);
