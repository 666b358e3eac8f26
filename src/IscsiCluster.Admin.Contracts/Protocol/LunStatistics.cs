namespace IscsiCluster.Admin.Contracts.Protocol;

/// <summary>I/O counters of one LUN seen through one session (one line of tgt's <c>--op stat</c>).</summary>
public sealed record LunStatistics(
    int Tid,
    ulong Lun,
    ulong Sid,
    ulong ReadSubmittedBytes,
    uint ReadSubmittedCommands,
    ulong ReadDoneBytes,
    uint ReadDoneCommands,
    ulong WriteSubmittedBytes,
    uint WriteSubmittedCommands,
    ulong WriteDoneBytes,
    uint WriteDoneCommands,
    uint Errors);
