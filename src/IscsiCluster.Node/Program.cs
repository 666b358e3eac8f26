using IscsiCluster.Config;
using IscsiCluster.Node;

// The node daemon: `iscsi-cluster-node --config FILE [--data-dir DIR] [--admin-socket PATH] [--ready-file FILE]`.
// Runs in the foreground until SIGINT or SIGTERM (the Generic Host's console lifetime), then shuts down
// cleanly: sessions end, actors stop, the store is flushed.
const string Usage = """
    usage: iscsi-cluster-node --config FILE [--data-dir DIR] [--admin-socket PATH] [--ready-file FILE]
      --config FILE        HOCON configuration (see cluster-config/); defaults come from each library's reference.conf
      --data-dir DIR       where the node's store (and its configuration of targets) lives (overrides iscsi-cluster.node.data-dir)
      --admin-socket PATH  the management endpoint's Unix socket (overrides iscsi-cluster.admin.socket)
      --ready-file FILE    once the portal accepts logins, write "address:port target" lines there
    """;

MallocArenas.TryLimit();
IscsiCluster.Network.SocketCompletions.PreferInline();

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

NodeHost node;
try
{
    node = NodeHost.Create(NodeHost.LoadConfig(Config.ParseFile(configPath)), new NodeStartOptions(dataDir, adminSocket));
    await node.StartAsync(CancellationToken.None);
}
catch (Exception e)
{
    // Whatever stops the node from starting (a bad file, a port in use, a data directory another
    // node holds) is said in one line; what had started is already stopped again.
    Console.Error.WriteLine($"iscsi-cluster-node: {e.Message}");
    return 2;
}

var shutdown = node.WaitForShutdownAsync();
if (readyFile is not null)
{
    // Ready means serving the cluster's configuration (a majority of the nodes is up); SIGTERM still stops a node that waits.
    if (await Task.WhenAny(node.WaitReadyAsync(), shutdown) == shutdown)
    {
        return 0;
    }

    var endPoint = node.PortalEndPoint;
    var lines = node.TargetNames.Count == 0
        ? [$"{endPoint}"]
        : node.TargetNames.Select(t => $"{endPoint} {t}");
    var temporary = readyFile + ".tmp";
    await File.WriteAllLinesAsync(temporary, lines);
    File.Move(temporary, readyFile, overwrite: true);
}

await shutdown;
return 0;
