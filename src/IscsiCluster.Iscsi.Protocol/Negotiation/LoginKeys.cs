namespace IscsiCluster.Iscsi.Protocol.Negotiation;

/// <summary>Key names of RFC 7143 sections 12 and 13.</summary>
public static class LoginKeys
{
    public const string HeaderDigest = "HeaderDigest";
    public const string DataDigest = "DataDigest";
    public const string MaxConnections = "MaxConnections";
    public const string SendTargets = "SendTargets";
    public const string TargetName = "TargetName";
    public const string InitiatorName = "InitiatorName";
    public const string TargetAlias = "TargetAlias";
    public const string InitiatorAlias = "InitiatorAlias";
    public const string TargetAddress = "TargetAddress";
    public const string TargetPortalGroupTag = "TargetPortalGroupTag";
    public const string InitialR2T = "InitialR2T";
    public const string ImmediateData = "ImmediateData";
    public const string MaxRecvDataSegmentLength = "MaxRecvDataSegmentLength";
    public const string MaxBurstLength = "MaxBurstLength";
    public const string FirstBurstLength = "FirstBurstLength";
    public const string DefaultTime2Wait = "DefaultTime2Wait";
    public const string DefaultTime2Retain = "DefaultTime2Retain";
    public const string MaxOutstandingR2T = "MaxOutstandingR2T";
    public const string DataPduInOrder = "DataPDUInOrder";
    public const string DataSequenceInOrder = "DataSequenceInOrder";
    public const string ErrorRecoveryLevel = "ErrorRecoveryLevel";
    public const string SessionType = "SessionType";
    public const string TaskReporting = "TaskReporting";
    public const string ProtocolLevel = "iSCSIProtocolLevel";
    public const string OFMarker = "OFMarker";
    public const string IFMarker = "IFMarker";
    public const string OFMarkInt = "OFMarkInt";
    public const string IFMarkInt = "IFMarkInt";
    public const string AuthMethod = "AuthMethod";

    public const string ChapAlgorithm = "CHAP_A";
    public const string ChapIdentifier = "CHAP_I";
    public const string ChapChallenge = "CHAP_C";
    public const string ChapName = "CHAP_N";
    public const string ChapResponse = "CHAP_R";

    /// <summary>
    /// Keys of the security negotiation stage handled by authentication (RFC 7143 12): AuthMethod and
    /// the keys of the methods of 12.1 (CHAP_*, SRP_*, KRB_*, SPKM_*).
    /// </summary>
    public static bool IsAuthenticationKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key == AuthMethod || key.StartsWith("CHAP_", StringComparison.Ordinal) || key.StartsWith("SRP_", StringComparison.Ordinal)
            || key.StartsWith("KRB_", StringComparison.Ordinal) || key.StartsWith("SPKM_", StringComparison.Ordinal);
    }

    /// <summary>RFC 7143 13.25: X- (vendor) and X# (IANA-registered) private extension keys.</summary>
    public static bool IsPrivateExtensionKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.StartsWith("X-", StringComparison.Ordinal) || key.StartsWith("X#", StringComparison.Ordinal);
    }
}
