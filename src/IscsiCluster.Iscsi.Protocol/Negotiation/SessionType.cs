namespace IscsiCluster.Iscsi.Protocol.Negotiation;

/// <summary>RFC 7143 13.21: SessionType=Discovery or Normal (the default).</summary>
public enum SessionType
{
    Normal,
    Discovery,
}
