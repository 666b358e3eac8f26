namespace IscsiCluster.Admin.Contracts.Protocol;

/// <summary>
/// The one table of management errors (tgt's tgtadm_strerror): the message a person reads and the exit code
/// of the command line. Like tgtadm, every refusal by the node exits with EINVAL (22).
/// </summary>
public static class AdmErrors
{
    /// <summary>tgtadm's exit code for a request the daemon refused (EINVAL).</summary>
    public const int InvalidArgumentExitCode = 22;

    /// <summary>Exit code when the management socket refuses the caller (EACCES).</summary>
    public const int PermissionDeniedExitCode = 13;

    /// <summary>Exit code when no node answers on the endpoint (ECONNREFUSED).</summary>
    public const int ConnectionRefusedExitCode = 111;

    private static readonly Dictionary<AdmError, (string Message, int ExitCode)> Table = new()
    {
        [AdmError.Success] = ("success", 0),
        [AdmError.UnknownError] = ("unknown error", InvalidArgumentExitCode),
        [AdmError.NoDriver] = ("can't find the driver (only --lld iscsi is served)", InvalidArgumentExitCode),
        [AdmError.NoTarget] = ("can't find the target", InvalidArgumentExitCode),
        [AdmError.NoLun] = ("can't find the logical unit", InvalidArgumentExitCode),
        [AdmError.NoSession] = ("can't find the session", InvalidArgumentExitCode),
        [AdmError.NoConnection] = ("can't find the connection", InvalidArgumentExitCode),
        [AdmError.TargetExists] = ("this target already exists", InvalidArgumentExitCode),
        [AdmError.LunExists] = ("this logical unit number already exists", InvalidArgumentExitCode),
        [AdmError.AclExists] = ("this access control rule already exists", InvalidArgumentExitCode),
        [AdmError.AclNotFound] = ("this access control rule does not exist", InvalidArgumentExitCode),
        [AdmError.UserExists] = ("this account already exists", InvalidArgumentExitCode),
        [AdmError.NoUser] = ("can't find the account", InvalidArgumentExitCode),
        [AdmError.InvalidRequest] = ("invalid request", InvalidArgumentExitCode),
        [AdmError.OutgoingAccountExists] = ("this target already has an outgoing account", InvalidArgumentExitCode),
        [AdmError.TargetActive] = ("this target is still active (it has sessions; --force ends them)", InvalidArgumentExitCode),
        [AdmError.UnsupportedOperation] = ("this operation isn't supported", InvalidArgumentExitCode),
        [AdmError.UnknownParam] = ("unknown parameter", InvalidArgumentExitCode),
        [AdmError.ReservedTid] = ("invalid target id: tid 0 is reserved, use 1 or more", InvalidArgumentExitCode),
        [AdmError.ReservedLun] = ("lun 0 is reserved for the target's controller, use 1 or more", InvalidArgumentExitCode),
        [AdmError.InvalidTargetName] = ("invalid target name: use letters, digits, '.', '-' and ':' (e.g. iqn.2013-05.com.example:disk1)", InvalidArgumentExitCode),
        [AdmError.InvalidInitiatorAddress] = ("invalid initiator address: use ALL, an IP address or a CIDR such as 172.16.0.0/16", InvalidArgumentExitCode),
        [AdmError.InvalidSize] = ("invalid size: give size=N[K|M|G|T] (--bsopts for a new LUN, --params to resize), a non-zero multiple of the block size", InvalidArgumentExitCode),
        [AdmError.ShrinkNeedsForce] = ("shrinking a logical unit discards the data past its new end; repeat with --force to accept that", InvalidArgumentExitCode),
        [AdmError.BackingStoreUnavailable] = ("can't open the backing store", InvalidArgumentExitCode),
        [AdmError.ImportFailed] = ("importing the backing store failed; the logical unit was not created", InvalidArgumentExitCode),
        [AdmError.PermissionDenied] = ("permission denied by the management endpoint (run as root or as the node's user, or give the right token)", PermissionDeniedExitCode),
        [AdmError.NodeUnreachable] = ("can't connect to the node's management endpoint (is the node running? see --control-port)", ConnectionRefusedExitCode),
        [AdmError.LunBusy] = ("this logical unit is busy (its backing store is being imported)", InvalidArgumentExitCode),
    };

    /// <summary>The message a person can act on.</summary>
    public static string Message(AdmError error) =>
        Table.TryGetValue(error, out var entry) ? entry.Message : $"(unknown error {(int)error})";

    /// <summary>The exit code of the command line for this error (0 for success).</summary>
    public static int ExitCode(AdmError error) =>
        Table.TryGetValue(error, out var entry) ? entry.ExitCode : InvalidArgumentExitCode;

    /// <summary>"message" or "message: detail".</summary>
    public static string Describe(AdmError error, string? detail) =>
        string.IsNullOrEmpty(detail) ? Message(error) : $"{Message(error)}: {detail}";
}
