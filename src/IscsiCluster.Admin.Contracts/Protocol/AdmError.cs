namespace IscsiCluster.Admin.Contracts.Protocol;

/// <summary>
/// Why a management request failed: tgt's tgtadm_errno values that apply here, plus a few of our own.
/// The only place that knows their messages and exit codes is <see cref="AdmErrors"/>.
/// </summary>
public enum AdmError
{
    Success,
    UnknownError,
    NoDriver,
    NoTarget,
    NoLun,
    NoSession,
    NoConnection,
    TargetExists,
    LunExists,
    AclExists,
    AclNotFound,
    UserExists,
    NoUser,
    InvalidRequest,
    OutgoingAccountExists,
    TargetActive,
    UnsupportedOperation,
    UnknownParam,
    ReservedTid,
    ReservedLun,
    InvalidTargetName,
    InvalidInitiatorAddress,
    InvalidSize,
    ShrinkNeedsForce,
    BackingStoreUnavailable,
    ImportFailed,
    PermissionDenied,
    NodeUnreachable,
    LunBusy,
}
