namespace IscsiCluster.Iscsi.Protocol.Negotiation;

/// <summary>What the negotiator needs to know about the connection being logged in.</summary>
public sealed record LoginNegotiationContext
{
    /// <summary>The portal group the connection arrived on, declared in the first response (RFC 7143 13.9).</summary>
    public ushort TargetPortalGroupTag { get; init; } = 1;

    /// <summary>Declared in the first response of a Normal session when set (RFC 7143 13.6).</summary>
    public string? TargetAlias { get; init; }

    /// <summary>
    /// The session's parameters when this connection joins an existing session (TSIH != 0); null for
    /// the leading connection. Session-wide (LO) keys are then answered Irrelevant and keep these values.
    /// </summary>
    public NegotiatedParameters? ExistingSession { get; init; }
}
