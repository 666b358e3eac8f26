namespace IscsiCluster.Scsi.Sam;

/// <summary>
/// SAM-5 5.1 "Execute Command" request: what a SCSI transport (iSCSI) hands to a
/// logical unit. The transport has already collected all Data-Out, so
/// <paramref name="DataOut"/> holds the whole data-out buffer (possibly shorter or
/// longer than the CDB asks for: the command set decides what that means).
/// </summary>
/// <param name="Nexus">The I_T nexus the command arrived on.</param>
/// <param name="Lun">The logical unit number (already decoded from the 8-byte SAM LUN field).</param>
/// <param name="TaskTag">The transport's task tag, unique among the nexus's outstanding tasks.</param>
/// <param name="Attribute">The task attribute.</param>
/// <param name="Cdb">The command descriptor block (6 to 260 bytes).</param>
/// <param name="DataOut">The data-out buffer (empty when the command carries none).</param>
/// <param name="DataInLength">The data-in buffer size the initiator allotted (its expected data transfer length for reads).</param>
public sealed record ExecuteCommand(
    ITNexus Nexus,
    ulong Lun,
    uint TaskTag,
    TaskAttribute Attribute,
    ReadOnlyMemory<byte> Cdb,
    ReadOnlyMemory<byte> DataOut,
    int DataInLength);

/// <summary>
/// SAM-5 5.1 "Command Complete" indication, the answer to <see cref="ExecuteCommand"/>.
/// </summary>
/// <param name="TaskTag">The task tag of the command this completes.</param>
/// <param name="Status">The SCSI status.</param>
/// <param name="DataIn">The data-in buffer, at most the allotted length; empty for none.</param>
/// <param name="Sense">Sense data (fixed format, SPC-4 4.5.3) when Status is CHECK CONDITION; otherwise empty.</param>
/// <param name="TransferLength">
/// How many bytes the command would have moved had the initiator allotted enough
/// (data-in: the full answer before truncation; data-out: the bytes the CDB asks for).
/// The transport compares it with the expected data transfer length to report
/// residual overflow or underflow (RFC 7143 11.4.5).
/// </param>
public sealed record CommandComplete(
    uint TaskTag,
    ScsiStatus Status,
    ReadOnlyMemory<byte> DataIn,
    ReadOnlyMemory<byte> Sense,
    long TransferLength)
{
    /// <summary>
    /// When not null, <see cref="DataIn"/> lies in a pooled buffer: whoever delivers the answer
    /// calls this once the data has been copied out (or will never be), and then no longer
    /// touches <see cref="DataIn"/>. An answer dropped without the call only costs the pool a buffer.
    /// </summary>
    public Action? DataInRelease { get; init; }
}

/// <summary>SAM-5 7.1 task management functions.</summary>
public enum TaskManagementFunction : byte
{
    AbortTask = 1,
    AbortTaskSet = 2,
    ClearAca = 3,
    ClearTaskSet = 4,
    LogicalUnitReset = 5,
    TargetWarmReset = 6,
    TargetColdReset = 7,
    TaskReassign = 8,
    QueryTask = 9,
    QueryTaskSet = 10,
    QueryAsynchronousEvent = 11,
}

/// <summary>SAM-5 7.12 task management service responses (encoded as RFC 7143 11.6.1 values).</summary>
public enum TaskManagementResponse : byte
{
    FunctionComplete = 0,
    TaskDoesNotExist = 1,
    LunDoesNotExist = 2,
    TaskStillAllegiant = 3,
    ReassignmentNotSupported = 4,
    FunctionNotSupported = 5,
    AuthorizationFailed = 6,
    FunctionSucceeded = 7,
    FunctionRejected = 255,
}

/// <summary>A task management request addressed to one logical unit.</summary>
public sealed record TaskManagementRequest(
    ITNexus Nexus,
    ulong Lun,
    TaskManagementFunction Function,
    uint ReferencedTaskTag);

/// <summary>The logical unit's answer to <see cref="TaskManagementRequest"/>.</summary>
public sealed record TaskManagementDone(TaskManagementFunction Function, TaskManagementResponse Response);

/// <summary>
/// Tells a logical unit that an I_T nexus is gone (session closed or reinstated), so it
/// drops the nexus's tasks and pending sense; registrations stay (SPC-4 5.13).
/// </summary>
public sealed record NexusLost(ITNexus Nexus);
