using IscsiCluster.Actors;
using IscsiCluster.Iscsi.Targets;

namespace IscsiCluster.Node.Targets;

/// <summary>
/// The portal's view of this node's targets: answers by asking the target actors. The
/// portal addresses are read when asked, since a portal on port 0 learns its port at start.
/// </summary>
public sealed class TargetDirectory(
    IReadOnlyDictionary<string, IActorRef> targets,
    DiscoveryAccess discoveryAccess,
    Func<IReadOnlyList<string>> portalAddresses,
    TimeSpan askTimeout) : ITargetDirectory
{
    public async ValueTask<IReadOnlyList<TargetListing>> ListTargetsAsync(InitiatorContext initiator, CancellationToken cancellationToken)
    {
        var listings = new List<TargetListing>();
        foreach (var target in targets.Values)
        {
            var listing = await target.Ask<TargetActor.Listing>(new TargetActor.GetListing(initiator), askTimeout, cancellationToken);
            if (listing.TargetName is not null)
            {
                listings.Add(new TargetListing(listing.TargetName, portalAddresses()));
            }
        }

        listings.Sort((a, b) => string.CompareOrdinal(a.TargetName, b.TargetName));
        return listings;
    }

    public async ValueTask<TargetAccess?> GetTargetAsync(string targetName, InitiatorContext initiator, CancellationToken cancellationToken)
    {
        // RFC 7143 4.2.7.6: iSCSI names compare case-insensitively (they are normalised to lower case).
        var match = targets.FirstOrDefault(t => string.Equals(t.Key, targetName, StringComparison.OrdinalIgnoreCase));
        if (match.Value is null)
        {
            return null;
        }

        return await match.Value.Ask<TargetAccess>(new TargetActor.GetAccess(initiator), askTimeout, cancellationToken);
    }

    public ValueTask<DiscoveryAccess> GetDiscoveryAccessAsync(InitiatorContext initiator, CancellationToken cancellationToken)
        => ValueTask.FromResult(discoveryAccess);
}
