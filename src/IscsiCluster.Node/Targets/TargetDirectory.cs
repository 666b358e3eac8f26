using Akka.Actor;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Node.Administration;

namespace IscsiCluster.Node.Targets;

/// <summary>
/// The portal's view of the cluster's targets. What a login may do is asked of the target's entity through the target
/// region (<see cref="TargetEntity"/>, wherever it runs) and bound to this node's ports by the target's
/// <see cref="TargetPort"/>. Which targets exist, by name, is a snapshot the configuration actor publishes after every
/// change, so a login never waits behind an admin command (an import can take minutes). The portal addresses are made
/// when asked: a portal on port 0 learns its port at start, and a portal on every address answers with the address the
/// initiator reached it by.
/// </summary>
public sealed class TargetDirectory(Func<InitiatorContext, IReadOnlyList<string>> portalAddresses, ClusterConfigurationView view, TimeSpan askTimeout) : ITargetDirectory
{
    private volatile Snapshot _snapshot = new(new Dictionary<string, Entry>(), [], new DiscoveryAccess([], null));
    private volatile IActorRef _region = ActorRefs.Nobody;

    /// <summary>Sets the target region the directory asks (once, when the node's actors start).</summary>
    public void Attach(IActorRef targetRegion) => _region = targetRegion;

    /// <summary>Replaces the targets and discovery accounts that logins from now on see.</summary>
    public void Publish(IReadOnlyList<(string Name, int Tid, IActorRef Port)> targets, DiscoveryAccess discovery)
    {
        var byName = new Dictionary<string, Entry>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, tid, port) in targets)
        {
            // Names differing only in case are one iSCSI name: the first (lowest tid) answers.
            byName.TryAdd(name, new Entry(tid, port));
        }

        _snapshot = new Snapshot(byName, [.. targets.Select(t => t.Port)], discovery);
    }

    public async ValueTask<IReadOnlyList<TargetListing>> ListTargetsAsync(InitiatorContext initiator, CancellationToken cancellationToken)
    {
        // Only targets the initiator may log in to are listed (what tgt administrators expect); a target whose entity
        // cannot be asked right now is left out rather than shown to someone its ACL may refuse.
        var decisions = await Task.WhenAll(_snapshot.Targets.Values.Select(async entry =>
        {
            try
            {
                return await DecideAsync(entry, initiator, cancellationToken);
            }
            catch (TargetUnavailableException)
            {
                return null;
            }
        }));
        var listings = decisions
            .Where(d => d is { Exists: true, Admitted: true })
            .Select(d => new TargetListing(d!.TargetName, portalAddresses(initiator)))
            .ToList();
        listings.Sort((a, b) => string.CompareOrdinal(a.TargetName, b.TargetName));
        return listings;
    }

    public async ValueTask<TargetAccess?> GetTargetAsync(string targetName, InitiatorContext initiator, CancellationToken cancellationToken)
    {
        // RFC 7143 4.2.7.6: iSCSI names compare case-insensitively (they are normalised to lower case).
        if (!_snapshot.Targets.TryGetValue(targetName, out var entry) || await DecideAsync(entry, initiator, cancellationToken) is not { Exists: true } decision)
        {
            return null;
        }

        // A port stopped since the snapshot belongs to a deleted target.
        return await TryAskAsync<TargetAccess>(entry.Port, new TargetPort.Bind(decision), cancellationToken);
    }

    public ValueTask<DiscoveryAccess> GetDiscoveryAccessAsync(InitiatorContext initiator, CancellationToken cancellationToken)
        => ValueTask.FromResult(_snapshot.Discovery);

    /// <summary>The live sessions of every target of this node (a target that does not answer has none anyone can use).</summary>
    public async Task<IReadOnlyList<SessionInfo>> SessionsAsync(CancellationToken cancellationToken)
    {
        var sessions = new List<SessionInfo>();
        foreach (var target in _snapshot.Ports)
        {
            var list = await TryAskAsync<TargetPort.SessionList>(target, TargetPort.GetSessions.Instance, cancellationToken);
            sessions.AddRange(list?.Sessions ?? []);
        }

        return sessions;
    }

    /// <summary>The target entity's decision for this initiator; it throws when the entity cannot be reached in time.</summary>
    private async Task<AccessDecision> DecideAsync(Entry entry, InitiatorContext initiator, CancellationToken cancellationToken)
    {
        var query = new AccessQuery(entry.Tid, view.Version, initiator.InitiatorName, initiator.Address.ToString());
        try
        {
            return await _region.Ask<AccessDecision>(query, askTimeout, cancellationToken);
        }
        catch (AskTimeoutException)
        {
            throw new TargetUnavailableException($"the cluster did not decide on target {entry.Tid} within {askTimeout.TotalSeconds:0} s (its node may have just been lost)");
        }
    }

    /// <summary>A target deleted between the snapshot and the question no longer answers: it is then treated as absent.</summary>
    private async ValueTask<T?> TryAskAsync<T>(IActorRef target, object question, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await target.Ask<T>(question, askTimeout, cancellationToken);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    private sealed record Entry(int Tid, IActorRef Port);

    private sealed record Snapshot(IReadOnlyDictionary<string, Entry> Targets, IReadOnlyList<IActorRef> Ports, DiscoveryAccess Discovery);
}
