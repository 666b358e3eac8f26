using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.Tests.TestSupport;

/// <summary>The configuration of the example: a target, two LUNs, two accounts (one outgoing), an ACL, one session.</summary>
internal static class Samples
{
    public const string TargetName = "iqn.2013-05.com.magedu:tsan.disk1";

    /// <summary>40 GiB, which tgt shows as "42950 MB".</summary>
    public const long FortyGiB = 40L << 30;

    public static ClusterConfiguration Configuration { get; } = new(
        [
            new TargetDefinition(
                1,
                TargetName,
                null,
                [
                    new LunDefinition(1, FortyGiB, 512, "/dev/sdb", "rocksdb", LunSource.Imported, 7),
                    new LunDefinition(2, 10L << 30, 4096, LunDefinition.ThinDescription, "rocksdb", LunSource.Thin, 8, VendorId: "ACME"),
                ],
                ["172.16.0.0/16"],
                [],
                ["christina"],
                "clyde",
                TargetState.Ready),
        ],
        [new AccountDefinition("christina", "123456"), new AccountDefinition("clyde", "654321")],
        [],
        null);

    public static SessionInfo Session { get; } =
        new(1, 1, "iqn.1994-05.com.redhat:client1", "client1", "172.16.0.5", [new ConnectionInfo(0, "172.16.0.5")]);

    public static AdmPayload Payload(bool includeSecrets = false) =>
        AdmPayload.ForShow(
            new AdmRequest(AdmMode.Target, AdmOp.Show) { IncludeSecrets = includeSecrets },
            Configuration,
            [Session],
            InMemoryNode.RuntimeInfo(Configuration));
}
