namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// Status-Class (high byte) and Status-Detail (low byte) of a Login Response (RFC 7143 11.13.5).
/// </summary>
public enum LoginStatus : ushort
{
    Success = 0x0000,
    TargetMovedTemporarily = 0x0101,
    TargetMovedPermanently = 0x0102,
    InitiatorError = 0x0200,
    AuthenticationFailure = 0x0201,
    AuthorizationFailure = 0x0202,
    NotFound = 0x0203,
    TargetRemoved = 0x0204,
    UnsupportedVersion = 0x0205,
    TooManyConnections = 0x0206,
    MissingParameter = 0x0207,
    CantIncludeInSession = 0x0208,
    SessionTypeNotSupported = 0x0209,
    SessionDoesNotExist = 0x020a,
    InvalidDuringLogin = 0x020b,
    TargetError = 0x0300,
    ServiceUnavailable = 0x0301,
    OutOfResources = 0x0302,
}

/// <summary>Splits a <see cref="LoginStatus"/> into its wire bytes.</summary>
public static class LoginStatuses
{
    /// <summary>Status-Class: 0 success, 1 redirection, 2 initiator error, 3 target error.</summary>
    public static byte StatusClass(this LoginStatus status) => (byte)((ushort)status >> 8);

    public static byte StatusDetail(this LoginStatus status) => (byte)status;

    public static LoginStatus FromBytes(byte statusClass, byte statusDetail) => (LoginStatus)((statusClass << 8) | statusDetail);
}
