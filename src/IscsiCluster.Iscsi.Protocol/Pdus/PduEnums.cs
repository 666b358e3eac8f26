namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>Login stages of the CSG and NSG fields (RFC 7143 11.12.3). The value 2 is reserved.</summary>
public enum LoginStage : byte
{
    SecurityNegotiation = 0,
    LoginOperationalNegotiation = 1,
    FullFeaturePhase = 3,
}

/// <summary>The ATTR field of a SCSI Command (RFC 7143 11.3.1.4).</summary>
public enum ScsiTaskAttribute : byte
{
    Untagged = 0,
    Simple = 1,
    Ordered = 2,
    HeadOfQueue = 3,
    Aca = 4,
}

/// <summary>Task management function codes (RFC 7143 11.5.1).</summary>
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
}

/// <summary>Task Management Function Response codes (RFC 7143 11.6.1).</summary>
public enum TaskManagementResponseCode : byte
{
    FunctionComplete = 0,
    TaskDoesNotExist = 1,
    LunDoesNotExist = 2,
    TaskStillAllegiant = 3,
    TaskAllegianceReassignmentNotSupported = 4,
    FunctionNotSupported = 5,
    FunctionAuthorizationFailed = 6,
    FunctionRejected = 255,
}

/// <summary>Logout Request reason codes (RFC 7143 11.14.1).</summary>
public enum LogoutReason : byte
{
    CloseSession = 0,
    CloseConnection = 1,
    RemoveConnectionForRecovery = 2,
}

/// <summary>Logout Response codes (RFC 7143 11.15.1).</summary>
public enum LogoutResponseCode : byte
{
    Success = 0,
    ConnectionIdNotFound = 1,
    RecoveryNotSupported = 2,
    CleanupFailed = 3,
}

/// <summary>SNACK types (RFC 7143 11.16.1).</summary>
public enum SnackType : byte
{
    DataOrR2T = 0,
    Status = 1,
    DataAck = 2,
    ResegmentingData = 3,
}

/// <summary>The Response field of a SCSI Response (RFC 7143 11.4.3).</summary>
public enum ScsiResponseCode : byte
{
    CommandCompletedAtTarget = 0x00,
    TargetFailure = 0x01,
}

/// <summary>AsyncEvent codes of an Asynchronous Message (RFC 7143 11.9.1).</summary>
public enum AsyncEvent : byte
{
    ScsiAsyncEvent = 0,
    LogoutRequested = 1,
    ConnectionDropping = 2,
    SessionDropping = 3,
    NegotiationRequested = 4,
    TaskTerminationRequested = 5,
    VendorSpecific = 255,
}

/// <summary>Reject reason codes (RFC 7143 11.17.1).</summary>
public enum RejectReason : byte
{
    DataDigestError = 0x02,
    SnackReject = 0x03,
    ProtocolError = 0x04,
    CommandNotSupported = 0x05,
    ImmediateCommandRejected = 0x06,
    TaskInProgress = 0x07,
    InvalidDataAck = 0x08,
    InvalidPduField = 0x09,
    LongOperationReject = 0x0a,
    WaitingForLogout = 0x0c,
}
