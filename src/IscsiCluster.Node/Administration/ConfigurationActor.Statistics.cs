using Akka.Actor;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Node.Luns;
using IscsiCluster.Node.Targets;

namespace IscsiCluster.Node.Administration;

public sealed partial class ConfigurationActor
{
    /// <summary>
    /// tgt's <c>--op stat</c>: one line per LUN and logged-in session that sent it commands, narrowed to
    /// the request's tid, lun (logicalunit mode) and sid.
    /// </summary>
    private async Task<IReadOnlyList<LunStatistics>> CollectStatisticsAsync(AdmRequest request, CancellationToken cancellationToken)
    {
        var lines = new List<LunStatistics>();
        foreach (var (tid, target) in _targets.Where(t => request.Tid is null || t.Key == request.Tid).OrderBy(t => t.Key))
        {
            var sources = await TryAskAsync<TargetPort.StatisticsSources>(target, TargetPort.GetStatisticsSources.Instance, cancellationToken);
            var wantedLun = request.Mode == AdmMode.LogicalUnit ? request.Lun : null;
            foreach (var (lun, actor) in (sources?.Luns ?? new Dictionary<ulong, IActorRef>()).Where(l => wantedLun is null || l.Key == wantedLun).OrderBy(l => l.Key))
            {
                var statistics = await TryAskAsync<LunActor.Statistics>(actor, LunActor.GetStatistics.Instance, cancellationToken);
                foreach (var (port, counters) in statistics?.ByInitiatorPort ?? new Dictionary<string, IoCounters>())
                {
                    if (sources!.SidByInitiatorPort.TryGetValue(port, out var sid) && (request.Sid is null || request.Sid == sid))
                    {
                        lines.Add(Line(tid, lun, sid, counters));
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

    /// <summary>An actor stopped in the meantime (a target being deleted) has nothing to report.</summary>
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
