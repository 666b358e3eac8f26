using Akka.Actor;
using IscsiCluster.Iscsi.Protocol.Negotiation;
using IscsiCluster.Iscsi.Sessions;
using IscsiCluster.Iscsi.Targets;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Iscsi.Connections;

/// <summary>What every connection of a portal shares.</summary>
internal sealed record PortalContext(
    IscsiSettings Settings,
    TargetNegotiationLimits Limits,
    ITargetDirectory Directory,
    IActorRef Registry,
    TransferBudget Transfers,
    ILoggerFactory LoggerFactory,
    FailedLogins FailedLogins,
    SessionChurn SessionChurn)
{
    /// <summary>How long a login waits for the session registry.</summary>
    public TimeSpan RegistryTimeout => Settings.LoginTimeout;
}
