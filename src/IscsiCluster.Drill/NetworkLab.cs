using System.Diagnostics;

namespace IscsiCluster.Drill;

/// <summary>
/// The partition drill's own network: each node in a network namespace of its own with two links, one to a bridge
/// the nodes talk to each other on (the cluster network, 10.213.1.N) and one to a bridge the initiator reaches
/// their portals on (the storage network, 10.213.2.N, this host being 10.213.2.254). Taking a node's cluster link
/// down cuts it off from its peers while its initiators still reach it. Everything is created here, under names
/// starting with <c>icd-</c>, and removed by <see cref="Dispose"/>; it needs root (CAP_NET_ADMIN) and iproute2.
/// </summary>
internal sealed class NetworkLab : IDisposable
{
    private const string ClusterBridge = "icd-cl";
    private const string StorageBridge = "icd-st";
    private readonly int _nodes;

    private NetworkLab(int nodes) => _nodes = nodes;

    /// <summary>The prefix of the nodes' namespaces: node N runs in <c>icd-nN</c>.</summary>
    public const string NamespacePrefix = "icd-n";

    public static string ClusterAddress(int node) => $"10.213.1.{node}";

    public static string StorageAddress(int node) => $"10.213.2.{node}";

    /// <summary>Builds the namespaces, links and bridges (after removing what an interrupted drill may have left).</summary>
    public static NetworkLab Create(int nodes)
    {
        var lab = new NetworkLab(nodes);
        lab.Remove();
        try
        {
            Ip("link", "add", ClusterBridge, "type", "bridge");
            Ip("link", "set", ClusterBridge, "up");
            Ip("link", "add", StorageBridge, "type", "bridge");
            Ip("addr", "add", "10.213.2.254/24", "dev", StorageBridge);
            Ip("link", "set", StorageBridge, "up");
            for (var n = 1; n <= nodes; n++)
            {
                var ns = NamespacePrefix + n;
                Ip("netns", "add", ns);
                Ip("-n", ns, "link", "set", "lo", "up");
                Attach(ns, $"icd-c{n}", "cl", ClusterBridge, ClusterAddress(n));
                Attach(ns, $"icd-s{n}", "st", StorageBridge, StorageAddress(n));
            }
        }
        catch
        {
            lab.Remove();
            throw;
        }

        return lab;
    }

    /// <summary>Cuts node <paramref name="node"/> off from the other nodes; its portal stays reachable.</summary>
    public void Isolate(int node) => Ip("-n", NamespacePrefix + node, "link", "set", "cl", "down");

    /// <summary>Joins node <paramref name="node"/> to the cluster network again.</summary>
    public void Heal(int node) => Ip("-n", NamespacePrefix + node, "link", "set", "cl", "up");

    public void Dispose() => Remove();

    private void Remove()
    {
        for (var n = 1; n <= _nodes; n++)
        {
            TryIp("netns", "del", NamespacePrefix + n);
        }

        TryIp("link", "del", ClusterBridge);
        TryIp("link", "del", StorageBridge);
    }

    /// <summary>A veth pair: <paramref name="outside"/> on the bridge here, <paramref name="inside"/> in the namespace with the address.</summary>
    private static void Attach(string ns, string outside, string inside, string bridge, string address)
    {
        Ip("link", "add", outside, "type", "veth", "peer", "name", inside, "netns", ns);
        Ip("link", "set", outside, "master", bridge, "up");
        Ip("-n", ns, "addr", "add", $"{address}/24", "dev", inside);
        Ip("-n", ns, "link", "set", inside, "up");
    }

    private static void Ip(params string[] arguments)
    {
        var (code, error) = Run(arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed ({code}): {error.Trim()} (the partition drill needs root and iproute2)");
        }
    }

    private static void TryIp(params string[] arguments) => Run(arguments);

    private static (int Code, string Error) Run(string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, e.Message);
        }
    }
}
