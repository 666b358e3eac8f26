namespace IscsiCluster.Node;

/// <summary>What the daemon's command line overrides in the configuration.</summary>
/// <param name="DataDirectory">Overrides iscsi-cluster.node.data-dir when given.</param>
/// <param name="AdminSocket">Overrides iscsi-cluster.admin.socket when given.</param>
public sealed record NodeStartOptions(string? DataDirectory = null, string? AdminSocket = null);
