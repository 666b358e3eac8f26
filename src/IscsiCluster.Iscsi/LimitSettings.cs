namespace IscsiCluster.Iscsi;

/// <summary>
/// What one initiator may make the node hold, read from <c>iscsi-cluster.iscsi.limits</c>: connections per node
/// and per initiator address, PDUs buffered per connection in each direction, immediate commands, text, and the
/// bytes of write and read data per session and per node. Together they bound the node's memory whatever
/// initiators send (reference.conf works the sum out for the defaults).
/// </summary>
public sealed record LimitSettings
{
    private const string Section = "limits.";

    /// <summary>Connections the portal serves at once; more are refused.</summary>
    public required int MaxConnections { get; init; }

    /// <summary>Connections one initiator address may have open at once; more are refused.</summary>
    public required int MaxConnectionsPerInitiator { get; init; }

    /// <summary>PDUs read from a connection that its session has not handled yet; beyond this the socket is not read.</summary>
    public required int MaxPendingPdus { get; init; }

    /// <summary>The bytes of those PDUs (header and data); beyond this the socket is not read.</summary>
    public required int MaxPendingBytes { get; init; }

    /// <summary>Bytes of answers (all but the data of Data-In) queued for a connection and not yet sent; beyond this the socket is not read.</summary>
    public required int MaxOutputBytes { get; init; }

    /// <summary>Immediate SCSI commands (I bit) a session may have under way; more are rejected.</summary>
    public required int MaxImmediateCommands { get; init; }

    /// <summary>The longest text a Text Request may build up with the C bit; a longer one is rejected.</summary>
    public required int MaxTextLength { get; init; }

    /// <summary>How long a write waits for Data-Out that has stopped arriving before it ends with CHECK CONDITION.</summary>
    public required TimeSpan DataOutTimeout { get; init; }

    /// <summary>Bytes of write and read data one session may hold (reserved when a command arrives).</summary>
    public required long SessionTransferBytes { get; init; }

    /// <summary>Bytes of write and read data the sessions of one initiator (by iSCSI name) may hold together.</summary>
    public required long InitiatorTransferBytes { get; init; }

    /// <summary>Bytes of write and read data all sessions of the node may hold together.</summary>
    public required long NodeTransferBytes { get; init; }

    internal static LimitSettings Create(Config.Config section, int maxDataTransferLength)
    {
        var maxConnections = IscsiSettings.ReadInt(section, "max-connections", 1, 1_000_000, Section);
        var perInitiator = IscsiSettings.ReadInt(section, "max-connections-per-initiator", 1, 1_000_000, Section);
        if (perInitiator > maxConnections)
        {
            throw IscsiSettings.Invalid(Section + "max-connections-per-initiator", "must not exceed max-connections");
        }

        var sessionTransfer = (long)IscsiSettings.ReadSize(section, "session-transfer-memory", 512, int.MaxValue, Section);
        if (sessionTransfer < maxDataTransferLength)
        {
            // Otherwise a command of the largest allowed length could never run.
            throw IscsiSettings.Invalid(Section + "session-transfer-memory", "must be at least max-data-transfer-length");
        }

        var initiatorTransfer = section.GetByteSize("initiator-transfer-memory");
        if (initiatorTransfer < sessionTransfer)
        {
            throw IscsiSettings.Invalid(Section + "initiator-transfer-memory", "must be at least session-transfer-memory");
        }

        var nodeTransfer = section.GetByteSize("node-transfer-memory");
        if (nodeTransfer < initiatorTransfer)
        {
            throw IscsiSettings.Invalid(Section + "node-transfer-memory", "must be at least initiator-transfer-memory");
        }

        var timeout = section.GetTimeSpan("data-out-timeout");
        if (timeout <= TimeSpan.Zero)
        {
            throw IscsiSettings.Invalid(Section + "data-out-timeout", "must be longer than zero");
        }

        return new LimitSettings
        {
            MaxConnections = maxConnections,
            MaxConnectionsPerInitiator = perInitiator,
            MaxPendingPdus = IscsiSettings.ReadInt(section, "max-pending-pdus", 1, 65536, Section),
            MaxPendingBytes = IscsiSettings.ReadSize(section, "max-pending-bytes", 4096, int.MaxValue, Section),
            MaxOutputBytes = IscsiSettings.ReadSize(section, "max-output-bytes", 4096, int.MaxValue, Section),
            MaxImmediateCommands = IscsiSettings.ReadInt(section, "max-immediate-commands", 1, 65536, Section),
            MaxTextLength = IscsiSettings.ReadSize(section, "max-text-length", 1024, 16 * 1024 * 1024, Section),
            DataOutTimeout = timeout,
            SessionTransferBytes = sessionTransfer,
            InitiatorTransferBytes = initiatorTransfer,
            NodeTransferBytes = nodeTransfer,
        };
    }
}
