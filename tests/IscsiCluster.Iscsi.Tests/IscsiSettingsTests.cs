using System.Net;
using IscsiCluster.Config;
using HoconConfig = IscsiCluster.Config.Config;

namespace IscsiCluster.Iscsi.Tests;

public sealed class IscsiSettingsTests
{
    [Fact]
    public void ReferenceDefaultsAreReadWithTheirUnits()
    {
        var settings = IscsiSettings.Create(HoconConfig.Empty);

        Assert.Equal(new IPEndPoint(IPAddress.Any, 3260), settings.ListenEndPoint);
        Assert.Equal(TimeSpan.FromSeconds(15), settings.LoginTimeout);
        Assert.Equal(128, settings.CmdSnWindowDepth);
        Assert.Equal(256 * 1024, settings.Negotiation.MaxRecvDataSegmentLength);
        Assert.Equal(1024 * 1024, settings.Negotiation.MaxBurstLength);
        Assert.False(settings.Negotiation.InitialR2T);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.RepeatedWarningInterval);
        Assert.Equal(new IscsiCluster.Iscsi.Sessions.SessionLogSettings(4, TimeSpan.FromSeconds(60)), settings.SessionLog);
        Assert.Equal(new IscsiCluster.Iscsi.Connections.FailedLoginSettings(3, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(4), TimeSpan.FromMinutes(10)), settings.FailedLogin);
    }

    [Fact]
    public void OverridesReplaceDefaults()
    {
        var settings = IscsiSettings.Create(HoconConfig.ParseString("""
            iscsi-cluster.iscsi {
              port = 3261
              nop-in-interval = 250ms
              negotiation.max-burst-length = 512 KiB
            }
            """));

        Assert.Equal(3261, settings.ListenEndPoint.Port);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.NopInInterval);
        Assert.Equal(512 * 1024, settings.Negotiation.MaxBurstLength);
    }

    [Theory]
    [InlineData("port = 70000")]
    [InlineData("listen-address = \"not an address\"")]
    [InlineData("cmdsn-window-depth = 0")]
    [InlineData("login-timeout = 0s")]
    [InlineData("negotiation.max-recv-data-segment-length = 100")]
    [InlineData("negotiation.first-burst-length = 2 MiB")]
    [InlineData("negotiation.default-time-2-wait = 1500ms")]
    [InlineData("limits.max-connections = 0")]
    [InlineData("limits.max-connections-per-initiator = 100000")]
    [InlineData("limits.max-pending-pdus = 0")]
    [InlineData("limits.max-pending-bytes = 1 KiB")]
    [InlineData("limits.max-output-bytes = 100")]
    [InlineData("limits.max-immediate-commands = 0")]
    [InlineData("limits.data-out-timeout = 0s")]
    [InlineData("limits.session-transfer-memory = 1 MiB")]
    [InlineData("limits.initiator-transfer-memory = 32 MiB")]
    [InlineData("limits.node-transfer-memory = 100 MiB")]
    [InlineData("repeated-warning-interval = 0s")]
    [InlineData("failed-login.free-failures = -1")]
    [InlineData("failed-login.max-delay = 100ms")]
    [InlineData("failed-login.forget-after = 0s")]
    [InlineData("session-log.logged-sessions = -1")]
    [InlineData("session-log.summary-interval = 0s")]
    public void InvalidValuesAreRefusedNamingTheKey(string setting)
    {
        var config = HoconConfig.ParseString($"iscsi-cluster.iscsi {{ {setting} }}");

        var error = Assert.Throws<ConfigException>(() => IscsiSettings.Create(config));

        Assert.Contains(setting.Split(' ')[0], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LimitDefaultsKeepTheNodeWithinItsDocumentedBudget()
    {
        var settings = IscsiSettings.Create(HoconConfig.Empty);
        var limits = settings.Limits;

        Assert.Equal(256, limits.MaxConnections);
        Assert.Equal(32, limits.MaxConnectionsPerInitiator);
        Assert.Equal(TimeSpan.FromSeconds(30), limits.DataOutTimeout);
        Assert.Equal(64 * 1024, limits.MaxTextLength);
        Assert.True(limits.SessionTransferBytes >= settings.MaxDataTransferLength);

        // reference.conf's sum: about 2.5 MiB a connection (buffers both ways and a PDU crossing each mark) times
        // max-connections, plus the node's transfer memory, stays under the 1 GiB the node promises.
        var pdu = settings.Negotiation.MaxRecvDataSegmentLength + 48;
        var perConnection = (128 * 1024) + pdu + limits.MaxPendingBytes + pdu + limits.MaxOutputBytes + limits.MaxPendingBytes + pdu + (512 * 1024);
        Assert.True((long)perConnection * limits.MaxConnections + limits.NodeTransferBytes < 900L * 1024 * 1024);
    }

    [Fact]
    public void NegotiationSettingsMapOntoTheNegotiatorsLimits()
    {
        var limits = IscsiSettings.Create(HoconConfig.Empty).Negotiation.ToLimits();

        Assert.Equal(1, limits.MaxConnections);
        Assert.Equal(0, limits.ErrorRecoveryLevel);
        Assert.True(limits.DataPduInOrder);
        Assert.Equal(256 * 1024, limits.FirstBurstLength);
    }
}
