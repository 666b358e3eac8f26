using Akka.Actor;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Node.Luns;
using IscsiCluster.Node.Targets;

namespace IscsiCluster.Node.Administration;

public sealed partial class ConfigurationActor
{
    /// <summary>
    /// tgt's <c>--op stat</c>: one line per LUN and session logged in through this node's portal that sent it commands,
    /// narrowed to the request's tid, lun (logicalunit mode) and sid. The counters are the LUN owner's, wherever it
    /// runs (asked through the LUN region); its counters of the nexuses through this node's port group are this node's
    /// sessions'. Session ids are this node's (as tgt's are its daemon's).
    /// </summary>
    private async Task<IReadOnlyList<LunStatistics>> CollectStatisticsAsync(AdmRequest request, CancellationToken cancellationToken)
    {
        var lines = new List<LunStatistics>();
        var wantedLun = request.Mode == AdmMode.LogicalUnit ? request.Lun : null;
        foreach (var target in _configuration.Targets.Where(t => request.Tid is null || t.Tid == request.Tid).OrderBy(t => t.Tid))
        {
            if (!_targets.TryGetValue(target.Tid, out var port)
                || await TryAskAsync<TargetPort.StatisticsSources>(port, TargetPort.GetStatisticsSources.Instance, cancellationToken) is not { } sources)
            {
                continue;
            }

            foreach (var lun in target.Luns.Where(l => l.VolumeId is not null && (wantedLun is null || l.Lun == wantedLun)))
            {
                var report = await TryAskAsync<LunStatisticsReport>(_cluster.LunRegion, new GetLunStatistics(lun.VolumeId!.Value), cancellationToken);
                foreach (var nexus in report?.Nexuses.Where(n => n.TargetPortGroup == _cluster.Self) ?? [])
                {
                    if (sources.SidByInitiatorPort.TryGetValue(nexus.InitiatorPort, out var sid) && (request.Sid is null || request.Sid == sid))
                    {
                        lines.Add(Line(target.Tid, lun.Lun, sid, nexus.Counters));
                    }
                }
            }
        }

        return [.. lines.OrderBy(l => l.Tid).ThenBy(l => l.Lun).ThenBy(l => l.Sid)];
    }

    private static LunStatistics Line(int tid, ulong lun, ulong sid, IoCounters c) =>
        new(tid, lun, sid,
            c.ReadSubmittedBytes, c.ReadSubmittedCommands, c.ReadDoneBytes, c.ReadDoneCommands,
            c.WriteSubmittedBytes, c.WriteSubmittedCommands, c.WriteDoneBytes, c.WriteDoneCommands,
            c.Errors);

    /// <summary>An actor stopped in the meantime (a target being deleted) or an owner that cannot be reached has nothing to report.</summary>
    private async Task<T?> TryAskAsync<T>(IActorRef actor, object question, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await actor.Ask<T>(question, _timeouts.Ask, cancellationToken);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }
}
