using Akka.Actor;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Iscsi.Targets;

namespace IscsiCluster.Node.Targets;

/// <summary>
/// The portal's view of this node's targets: answers by asking the target actors. Which targets
/// exist is a snapshot the configuration actor publishes after every change, so a login never
/// waits behind an admin command (an import can take minutes). The portal addresses are made
/// when asked: a portal on port 0 learns its port at start, and a portal on every address
/// answers with the address the initiator reached it by.
/// </summary>
public sealed class TargetDirectory(Func<InitiatorContext, IReadOnlyList<string>> portalAddresses, TimeSpan askTimeout) : ITargetDirectory
{
    private volatile Snapshot _snapshot = new(new Dictionary<string, IActorRef>(), [], new DiscoveryAccess([], null));

    /// <summary>Replaces the targets and discovery accounts that logins from now on see.</summary>
    public void Publish(IReadOnlyList<KeyValuePair<string, IActorRef>> targets, DiscoveryAccess discovery)
    {
        var byName = new Dictionary<string, IActorRef>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, target) in targets)
        {
            // Names differing only in case are one iSCSI name: the first (lowest tid) answers.
            byName.TryAdd(name, target);
        }

        _snapshot = new Snapshot(byName, [.. targets.Select(t => t.Value)], discovery);
    }

    public async ValueTask<IReadOnlyList<TargetListing>> ListTargetsAsync(InitiatorContext initiator, CancellationToken cancellationToken)
    {
        var listings = new List<TargetListing>();
        foreach (var target in _snapshot.Targets.Values)
        {
            var listing = await TryAskAsync<TargetActor.Listing>(target, new TargetActor.GetListing(initiator), cancellationToken);
            if (listing?.TargetName is { } name)
            {
                listings.Add(new TargetListing(name, portalAddresses(initiator)));
            }
        }

        listings.Sort((a, b) => string.CompareOrdinal(a.TargetName, b.TargetName));
        return listings;
    }

    public async ValueTask<TargetAccess?> GetTargetAsync(string targetName, InitiatorContext initiator, CancellationToken cancellationToken)
    {
        // RFC 7143 4.2.7.6: iSCSI names compare case-insensitively (they are normalised to lower case).
        return _snapshot.Targets.TryGetValue(targetName, out var target)
            ? await TryAskAsync<TargetAccess>(target, new TargetActor.GetAccess(initiator), cancellationToken)
            : null;
    }

    public ValueTask<DiscoveryAccess> GetDiscoveryAccessAsync(InitiatorContext initiator, CancellationToken cancellationToken)
        => ValueTask.FromResult(_snapshot.Discovery);

    /// <summary>The live sessions of every target of this node (a target that does not answer has none anyone can use).</summary>
    public async Task<IReadOnlyList<SessionInfo>> SessionsAsync(CancellationToken cancellationToken)
    {
        var sessions = new List<SessionInfo>();
        foreach (var target in _snapshot.All)
        {
            var list = await TryAskAsync<TargetActor.SessionList>(target, TargetActor.GetSessions.Instance, cancellationToken);
            sessions.AddRange(list?.Sessions ?? []);
        }

        return sessions;
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

    private sealed record Snapshot(IReadOnlyDictionary<string, IActorRef> Targets, IReadOnlyList<IActorRef> All, DiscoveryAccess Discovery);
}
