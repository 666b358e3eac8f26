using System.Net;
using Akka.Actor;

namespace IscsiCluster.Iscsi.Targets;

/// <summary>
/// What the iSCSI layer asks of the node about targets: which targets an initiator may
/// see (SendTargets) and what it takes to log in to one. The node answers from its
/// target actors; the iSCSI layer never sees how targets or LUNs are stored.
/// </summary>
public interface ITargetDirectory
{
    /// <summary>The targets this initiator may log in to (SendTargets=All), each with its addresses.</summary>
    ValueTask<IReadOnlyList<TargetListing>> ListTargetsAsync(InitiatorContext initiator, CancellationToken cancellationToken);

    /// <summary>Resolves a TargetName for a normal-session login; null when no such target exists.</summary>
    /// <exception cref="TargetUnavailableException">Whether the initiator may log in cannot be decided right now.</exception>
    ValueTask<TargetAccess?> GetTargetAsync(string targetName, InitiatorContext initiator, CancellationToken cancellationToken);

    /// <summary>CHAP accounts required for discovery sessions (empty: discovery needs no authentication).</summary>
    ValueTask<DiscoveryAccess> GetDiscoveryAccessAsync(InitiatorContext initiator, CancellationToken cancellationToken);
}

/// <summary>
/// Whether a login may proceed cannot be decided right now (the node that decides for the target was just lost). The
/// login is answered Target Error, Service Unavailable (RFC 7143 11.13.5: 0x0301), which initiators retry.
/// </summary>
public sealed class TargetUnavailableException(string message) : Exception(message);

/// <summary>Who is logging in: the InitiatorName key and the TCP peer address.</summary>
public sealed record InitiatorContext(string InitiatorName, IPAddress Address)
{
    /// <summary>The InitiatorAlias key (RFC 7143 13.7), when the initiator sent one.</summary>
    public string? Alias { get; init; }

    /// <summary>The initiator's TCP endpoint.</summary>
    public IPEndPoint? EndPoint { get; init; }

    /// <summary>
    /// The portal address the initiator connected to. A node listening on every address
    /// answers SendTargets with this one, the address the initiator can surely reach.
    /// </summary>
    public IPEndPoint? PortalEndPoint { get; init; }
}

/// <summary>One SendTargets entry: TargetName and its TargetAddress values ("ip:port,tpgt").</summary>
public sealed record TargetListing(string TargetName, IReadOnlyList<string> TargetAddresses);

/// <summary>A CHAP account: user name and secret.</summary>
public sealed record ChapAccount(string User, string Secret)
{
    /// <summary>Keeps the secret out of string renderings (logs, dead letters, test failure messages).</summary>
    public override string ToString() => $"ChapAccount {{ User = {User}, Secret = *** }}";
}

/// <summary>Authentication for discovery sessions.</summary>
public sealed record DiscoveryAccess(IReadOnlyList<ChapAccount> IncomingAccounts, ChapAccount? OutgoingAccount);

/// <summary>
/// Everything a login to one target needs.
/// </summary>
/// <param name="TargetName">The target's iSCSI name.</param>
/// <param name="Alias">The TargetAlias to declare, if any.</param>
/// <param name="InitiatorAllowed">Whether the ACL admits this initiator (false: login fails with 0x0202 Authorization failure).</param>
/// <param name="IncomingAccounts">Accounts the initiator may authenticate as; empty means AuthMethod=None is accepted, otherwise CHAP is required.</param>
/// <param name="OutgoingAccount">When set and the initiator challenges the target (mutual CHAP), the target answers with this account.</param>
/// <param name="Target">The target actor: a session Tells it <see cref="SessionOpened"/> and <see cref="SessionClosed"/>.</param>
/// <param name="Luns">The LUN actors by LUN number at login time; later changes arrive as <see cref="LunMapChanged"/>.</param>
/// <param name="AbsentLun">The actor that answers for LUN numbers not in <paramref name="Luns"/>.</param>
public sealed record TargetAccess(
    string TargetName,
    string? Alias,
    bool InitiatorAllowed,
    IReadOnlyList<ChapAccount> IncomingAccounts,
    ChapAccount? OutgoingAccount,
    IActorRef Target,
    IReadOnlyDictionary<ulong, IActorRef> Luns,
    IActorRef AbsentLun);

/// <summary>Told by a session to its target actor once it enters full feature phase (Sender is the session actor).</summary>
/// <remarks>The optional properties feed the administrator's view (show, session delete); a target copes when they are unset.</remarks>
public sealed record SessionOpened(IscsiCluster.Scsi.Sam.ITNexus Nexus, IActorRef Session)
{
    /// <summary>The InitiatorAlias key of the login (RFC 7143 13.7), or null when none was sent.</summary>
    public string? InitiatorAlias { get; init; }

    /// <summary>The TCP peer of the session's leading connection, or null when unknown.</summary>
    public IPEndPoint? InitiatorEndPoint { get; init; }

    /// <summary>The target-assigned session identifying handle (RFC 7143 11.12.6); 0 when unknown.</summary>
    public ushort Tsih { get; init; }

    /// <summary>The CID of the session's leading connection (RFC 7143 11.12.5).</summary>
    public ushort ConnectionId { get; init; }
}

/// <summary>Told by a session to its target actor when it ends.</summary>
public sealed record SessionClosed(IscsiCluster.Scsi.Sam.ITNexus Nexus, IActorRef Session);

/// <summary>Told by a target actor to its sessions when LUNs are added or removed.</summary>
public sealed record LunMapChanged(IReadOnlyDictionary<ulong, IActorRef> Luns);

/// <summary>Told by a target actor to a session that must end (target deleted, forced logout); the session sends an Async Message requesting logout or drops the connection.</summary>
public sealed record CloseSession(string Reason);

/// <summary>
/// Told to a session by a LUN actor it sent commands to (or the port that stood for it) when the commands it holds will
/// never be answered (the LUN's owner stopped or moved away). The session ends each such task with CHECK CONDITION,
/// NOT READY, ASYMMETRIC ACCESS STATE TRANSITION, which initiators retry (on another path if they must).
/// </summary>
public sealed record LunTasksLost(IActorRef Lun);
