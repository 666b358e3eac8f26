using System.Net;
using IscsiCluster.Config;

namespace IscsiCluster.Iscsi;

/// <summary>
/// The iSCSI layer's settings, read from the <c>iscsi-cluster.iscsi</c> section (defaults in
/// this assembly's reference.conf).
/// </summary>
public sealed record IscsiSettings
{
    /// <summary>The configuration section these settings are read from.</summary>
    public const string SectionPath = "iscsi-cluster.iscsi";

    private const string ReferenceResource = "IscsiCluster.Iscsi.reference.conf";

    /// <summary>Where the portal listens.</summary>
    public required IPEndPoint ListenEndPoint { get; init; }

    /// <summary>The portal's target portal group tag (RFC 7143 4.4.2).</summary>
    public required ushort TargetPortalGroupTag { get; init; }

    /// <summary>The relative target port identifier of this portal (SPC-4 7.8.6.6).</summary>
    public required ushort RelativeTargetPortId { get; init; }

    /// <summary>How long a connection may take to reach full feature phase.</summary>
    public required TimeSpan LoginTimeout { get; init; }

    /// <summary>Idle time before the target pings the initiator; zero for no pings.</summary>
    public required TimeSpan NopInInterval { get; init; }

    /// <summary>How long the initiator has to answer a ping.</summary>
    public required TimeSpan NopInTimeout { get; init; }

    /// <summary>How many non-immediate commands a session may have queued or running.</summary>
    public required int CmdSnWindowDepth { get; init; }

    /// <summary>How long an initiator asked to log out has to do so.</summary>
    public required TimeSpan LogoutGracePeriod { get; init; }

    /// <summary>How long a task management request waits for the LUNs.</summary>
    public required TimeSpan TaskManagementTimeout { get; init; }

    /// <summary>The largest Expected Data Transfer Length a command may carry.</summary>
    public required int MaxDataTransferLength { get; init; }

    /// <summary>How long sessions have to end when the portal stops.</summary>
    public required TimeSpan ShutdownGracePeriod { get; init; }

    /// <summary>How often a warning an initiator can repeat with every PDU is logged, at most, per connection and kind; the rest are counted.</summary>
    public required TimeSpan RepeatedWarningInterval { get; init; }

    /// <summary>How failed logins from one initiator address are slowed down.</summary>
    public required Connections.FailedLoginSettings FailedLogin { get; init; }

    /// <summary>How many sessions of one initiator are logged as they open and close, and how often the rest are summarised.</summary>
    public required Sessions.SessionLogSettings SessionLog { get; init; }

    /// <summary>The Akka.NET dispatcher (its configuration path) session actors run on.</summary>
    public required string SessionDispatcher { get; init; }

    /// <summary>The target's negotiation preferences and limits.</summary>
    public required NegotiationSettings Negotiation { get; init; }

    /// <summary>What one initiator may make the node hold: connections, buffered PDUs, data.</summary>
    public required LimitSettings Limits { get; init; }

    /// <summary>The defaults shipped in this assembly's reference.conf.</summary>
    public static Config.Config Reference { get; } = ConfigFactory.FromResource(typeof(IscsiSettings).Assembly, ReferenceResource);

    /// <summary>Reads the settings from a configuration holding (or falling back to) <see cref="SectionPath"/>.</summary>
    public static IscsiSettings Create(Config.Config config)
    {
        var section = config.WithFallback(Reference).GetConfig(SectionPath);
        var maxDataTransferLength = ReadSize(section, "max-data-transfer-length", 512, int.MaxValue);
        return new IscsiSettings
        {
            ListenEndPoint = new IPEndPoint(ReadAddress(section, "listen-address"), ReadInt(section, "port", 0, IPEndPoint.MaxPort)),
            TargetPortalGroupTag = (ushort)ReadInt(section, "target-portal-group-tag", 1, ushort.MaxValue),
            RelativeTargetPortId = (ushort)ReadInt(section, "relative-target-port-id", 1, ushort.MaxValue),
            LoginTimeout = ReadPositive(section, "login-timeout"),
            NopInInterval = ReadNonNegative(section, "nop-in-interval"),
            NopInTimeout = ReadPositive(section, "nop-in-timeout"),
            CmdSnWindowDepth = ReadInt(section, "cmdsn-window-depth", 1, MaxCmdSnWindowDepth),
            LogoutGracePeriod = ReadNonNegative(section, "logout-grace-period"),
            TaskManagementTimeout = ReadPositive(section, "task-management-timeout"),
            MaxDataTransferLength = maxDataTransferLength,
            ShutdownGracePeriod = ReadNonNegative(section, "shutdown-grace-period"),
            RepeatedWarningInterval = ReadPositive(section, "repeated-warning-interval"),
            FailedLogin = ReadFailedLogin(section),
            SessionLog = new Sessions.SessionLogSettings(
                ReadInt(section, "session-log.logged-sessions", 0, 1_000_000),
                ReadPositive(section, "session-log.summary-interval")),
            SessionDispatcher = ReadName(section, "session-dispatcher"),
            Negotiation = NegotiationSettings.Create(section.GetConfig("negotiation")),
            Limits = LimitSettings.Create(section.GetConfig("limits"), maxDataTransferLength),
        };
    }

    // Far below 2^31, the most serial number arithmetic can order (RFC 1982).
    private const int MaxCmdSnWindowDepth = 65536;

    internal static ConfigException Invalid(string path, string reason) => new($"key '{SectionPath}.{path}': {reason}");

    private static Connections.FailedLoginSettings ReadFailedLogin(Config.Config section)
    {
        var settings = new Connections.FailedLoginSettings(
            ReadInt(section, "failed-login.free-failures", 0, 1000),
            ReadNonNegative(section, "failed-login.first-delay"),
            ReadNonNegative(section, "failed-login.max-delay"),
            ReadPositive(section, "failed-login.forget-after"));
        return settings.MaxDelay >= settings.FirstDelay
            ? settings
            : throw Invalid("failed-login.max-delay", "must not be shorter than failed-login.first-delay");
    }

    private static IPAddress ReadAddress(Config.Config section, string path)
    {
        var text = section.GetString(path);
        return IPAddress.TryParse(text, out var address)
            ? address
            : throw Invalid(path, $"'{text}' is not an IP address");
    }

    internal static int ReadInt(Config.Config section, string path, int min, int max, string prefix = "")
    {
        var value = section.GetInt(path);
        return value >= min && value <= max
            ? value
            : throw Invalid(prefix + path, $"{value} is outside {min}..{max}");
    }

    internal static int ReadSize(Config.Config section, string path, int min, int max, string prefix = "")
    {
        var value = section.GetByteSize(path);
        return value >= min && value <= max
            ? (int)value
            : throw Invalid(prefix + path, $"{value} bytes is outside {min}..{max} bytes");
    }

    private static string ReadName(Config.Config section, string path)
    {
        var value = section.GetString(path);
        return value.Length > 0 ? value : throw Invalid(path, "must not be empty");
    }

    private static TimeSpan ReadPositive(Config.Config section, string path)
    {
        var value = section.GetTimeSpan(path);
        return value > TimeSpan.Zero ? value : throw Invalid(path, "must be longer than zero");
    }

    private static TimeSpan ReadNonNegative(Config.Config section, string path)
    {
        var value = section.GetTimeSpan(path);
        return value >= TimeSpan.Zero ? value : throw Invalid(path, "must not be negative");
    }
}
