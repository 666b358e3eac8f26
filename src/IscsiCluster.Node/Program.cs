using System.Runtime.InteropServices;
using IscsiCluster.Config;
using IscsiCluster.Node;
using IscsiCluster.Node.Configuration;
using Microsoft.Extensions.Logging;

// The node daemon: `iscsi-cluster-node --config FILE [--data-dir DIR] [--admin-socket PATH] [--ready-file FILE]`.
// Runs in the foreground until SIGINT or SIGTERM, then shuts down cleanly (the store is flushed).
const string Usage = """
    usage: iscsi-cluster-node --config FILE [--data-dir DIR] [--admin-socket PATH] [--ready-file FILE]
      --config FILE        HOCON configuration (see cluster-config/); defaults come from each library's reference.conf
      --data-dir DIR       where the node's store (and its configuration of targets) lives (overrides iscsi-cluster.node.data-dir)
      --admin-socket PATH  the management endpoint's Unix socket (overrides iscsi-cluster.admin.socket)
      --ready-file FILE    once the portal accepts logins, write "address:port target" lines there
    """;

MallocArenas.TryLimit();

string? configPath = null, dataDir = null, adminSocket = null, readyFile = null;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    try
    {
        switch (args[i])
        {
            case "--config": configPath = Next(); break;
            case "--data-dir": dataDir = Next(); break;
            case "--admin-socket": adminSocket = Next(); break;
            case "--ready-file": readyFile = Next(); break;
            case "-h" or "--help": Console.WriteLine(Usage); return 0;
            default: throw new ArgumentException($"unknown option '{args[i]}'");
        }
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine($"iscsi-cluster-node: {e.Message}\n{Usage}");
        return 2;
    }
}

if (configPath is null)
{
    Console.Error.WriteLine($"iscsi-cluster-node: --config is required\n{Usage}");
    return 2;
}

using var loggerFactory = LoggerFactory.Create(builder => builder
    .SetMinimumLevel(Environment.GetEnvironmentVariable("ISCSI_CLUSTER_LOG_LEVEL") is { } level && Enum.TryParse<LogLevel>(level, true, out var parsed) ? parsed : LogLevel.Information)
    .AddSimpleConsole(options =>
    {
        options.SingleLine = true;
        options.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
        options.UseUtcTimestamp = true;
    }));

using var shutdown = new CancellationTokenSource();
void RequestShutdown(PosixSignalContext context)
{
    context.Cancel = true;
    shutdown.Cancel();
}

using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestShutdown);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestShutdown);

NodeHost node;
try
{
    var config = NodeHost.LoadConfig(Config.ParseFile(configPath));
    node = await NodeHost.StartAsync(config, new NodeStartOptions(dataDir, adminSocket), loggerFactory, shutdown.Token);
}
catch (Exception e) when (e is ConfigException or NodeConfigurationException or ArgumentException or IOException or System.Net.Sockets.SocketException)
{
    Console.Error.WriteLine($"iscsi-cluster-node: {e.Message}");
    return 2;
}
catch (OperationCanceledException)
{
    return 0;
}

if (readyFile is not null)
{
    var endPoint = node.PortalEndPoint;
    var lines = node.TargetNames.Count == 0
        ? [$"{endPoint}"]
        : node.TargetNames.Select(t => $"{endPoint} {t}");
    var temporary = readyFile + ".tmp";
    await File.WriteAllLinesAsync(temporary, lines);
    File.Move(temporary, readyFile, overwrite: true);
}

try
{
    await Task.Delay(Timeout.Infinite, shutdown.Token);
}
catch (OperationCanceledException)
{
}

await node.StopAsync();
return 0;
