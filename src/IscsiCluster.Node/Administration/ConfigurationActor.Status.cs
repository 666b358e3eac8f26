using Akka.Actor;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Cluster;
using IscsiCluster.Cluster.Membership;
using IscsiCluster.Node.Luns;

namespace IscsiCluster.Node.Administration;

public sealed partial class ConfigurationActor
{
    /// <summary>
    /// How long status waits for another node or a LUN's owner: a node that just died is still a member for a few
    /// seconds, and status must answer during a failover, when it is most wanted. Who does not answer in time is shown
    /// as such.
    /// </summary>
    private static readonly TimeSpan StatusAnswerTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// <c>--mode cluster --op show</c>: every node with its membership state (as this node sees it), portal and sessions,
    /// and every LUN with its owner, epoch and replicas, asked of the owner wherever it runs.
    /// </summary>
    private async Task<AdmResponse> ShowClusterAsync(CancellationToken cancellationToken)
    {
        var settings = _cluster.Settings;
        var asked = ClusterSessionsAsync(cancellationToken);
        var lunsAsked = Task.WhenAll(_configuration.Targets
            .SelectMany(t => t.Luns.Where(l => l.VolumeId is not null).Select(l => LunStatusAsync(t.Tid, l, cancellationToken))));
        var sessions = await asked;
        var nodes = settings.Nodes
            .Select(n => new NodeStatus(n.Number, n.Name, n.Portal.ToString(), Words.Of(_cluster.View.StateOf(n.Number)), sessions.GetValueOrDefault(n.Number)))
            .ToList();
        var luns = await lunsAsked;
        return AdmResponse.Ok(new AdmPayload(Cluster: new ClusterStatus(settings.Self, settings.Majority, nodes, luns)));
    }

    /// <summary>The sessions on every node that answers, by node number (a node that does not answer is left out).</summary>
    private async Task<IReadOnlyDictionary<int, IReadOnlyList<SessionInfo>>> ClusterSessionsAsync(CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(_cluster.Settings.Nodes
            .Where(n => n.Number == _cluster.Settings.Self || _cluster.View.StateOf(n.Number) == NodeState.Up)
            .Select(async node =>
            {
                var path = node.Number == _cluster.Settings.Self
                    ? $"/user/{NodeSessionsActor.Name}"
                    : $"{node.AkkaAddress(ClusterSettings.SystemName)}/user/{NodeSessionsActor.Name}";
                try
                {
                    return await Context.System.ActorSelection(path).Ask<NodeSessions>(GetNodeSessions.Instance, StatusAnswerTimeout, cancellationToken);
                }
                catch (AskTimeoutException)
                {
                    return null;
                }
            }));
        return answers.OfType<NodeSessions>().ToDictionary(a => a.Node, a => a.Sessions);
    }

    private async Task<LunStatus> LunStatusAsync(int tid, LunDefinition lun, CancellationToken cancellationToken)
    {
        var volumeId = lun.VolumeId!.Value;
        try
        {
            var report = await _cluster.LunRegion.Ask<OwnerStatusReport>(new GetOwnerStatus(volumeId), StatusAnswerTimeout, cancellationToken);
            return new LunStatus(tid, lun.Lun, volumeId, report.Node, report.State, report.Epoch, report.CommittedIndex, report.Replicas);
        }
        catch (AskTimeoutException)
        {
            var replicas = _cluster.Settings.ReplicasOf(volumeId).Select(n => new ReplicaInfo(n, "unknown", -1)).ToList();
            return new LunStatus(tid, lun.Lun, volumeId, null, "unreachable", 0, -1, replicas);
        }
    }
}
