using System.Net;
using IscsiCluster.Config;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IscsiCluster.Node.Tests.Support;

/// <summary>
/// A node started in this process on a free port and a temporary directory, never on 3260
/// or the user's data, so tests run beside a running product and beside each other.
/// </summary>
public sealed class TestNode : IAsyncDisposable
{
    public const string TargetName = "iqn.2026-11.io.iscsicluster.test:disk";

    private readonly bool _ownsDirectory;

    private TestNode(NodeHost host, string dataDirectory, bool ownsDirectory)
    {
        Host = host;
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
    }

    public NodeHost Host { get; }

    public string DataDirectory { get; }

    public IPEndPoint Portal => Host.PortalEndPoint;

    /// <summary>The libiscsi URL of a LUN of the test target, optionally with credentials.</summary>
    public string Url(int lun, string? user = null, string? password = null, string? query = null)
    {
        var credentials = user is null ? "" : $"{Uri.EscapeDataString(user)}%{Uri.EscapeDataString(password ?? "")}@";
        return $"iscsi://{credentials}{Portal.Address}:{Portal.Port}/{TargetName}/{lun}{(query is null ? "" : "?" + query)}";
    }

    /// <summary>The management endpoint's Unix socket (inside the data directory, so tests never share one).</summary>
    public string AdminSocket => Host.AdminSocketPath;

    /// <summary>Starts a node whose one target has the given body (HOCON inside the target object).</summary>
    /// <remarks>The HOCON target only seeds a new store: on a data directory that holds a configuration, that one is used.</remarks>
    public static Task<TestNode> StartAsync(string targetBody = DefaultTarget, string? dataDirectory = null)
        => StartWithConfigAsync(dataDirectory, null, directory => ConfigText(directory, targetBody));

    /// <summary>Starts a node with no HOCON target: what an administrator configures with the admin command.</summary>
    public static Task<TestNode> StartEmptyAsync(string? dataDirectory = null, string extraConfig = "", ILoggerFactory? loggerFactory = null)
        => StartWithConfigAsync(dataDirectory, loggerFactory, directory => $$"""
            iscsi-cluster {
              node { name = "test-node", data-dir = "{{directory}}" }
              iscsi { listen-address = "127.0.0.1", port = 0 }
              {{extraConfig}}
            }
            """);

    private static async Task<TestNode> StartWithConfigAsync(string? dataDirectory, ILoggerFactory? loggerFactory, Func<string, string> configText)
    {
        var ownsDirectory = dataDirectory is null;
        dataDirectory ??= Directory.CreateTempSubdirectory("iscsi-cluster-test-").FullName;
        var config = NodeHost.LoadConfig(Config.Config.ParseString(configText(dataDirectory), "test-node.conf"));
        var options = new NodeStartOptions(AdminSocket: SocketPath(dataDirectory));
        var host = await NodeHost.StartAsync(config, options, loggerFactory ?? NullLoggerFactory.Instance, CancellationToken.None);
        try
        {
            // Serving: the cluster's configuration (a node alone owns it) and an owner of every LUN, past its lease wait.
            await host.WaitReadyAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        }
        catch
        {
            await host.StopAsync();
            throw;
        }

        return new TestNode(host, dataDirectory, ownsDirectory);
    }

    /// <summary>Where a node on this data directory listens for admin commands.</summary>
    public static string SocketPath(string dataDirectory) => Path.Combine(dataDirectory, "admin.sock");

    public const string DefaultTarget = """
        luns = [ { lun = 1, size = 64M, block-size = 512 } ]
        initiator-addresses = ["ALL"]
        """;

    public static string ConfigText(string dataDirectory, string targetBody) => $$"""
        iscsi-cluster {
          node { name = "test-node", data-dir = "{{dataDirectory}}" }
          iscsi { listen-address = "127.0.0.1", port = 0 }
          targets = [
            {
              name = "{{TargetName}}"
              {{targetBody}}
            }
          ]
        }
        """;

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        if (_ownsDirectory)
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
