using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Owner;

/// <summary>A write was accepted and given a place in the log; its completion comes later.</summary>
public readonly record struct WriteAssignment(long Tag, LogPosition Position);
