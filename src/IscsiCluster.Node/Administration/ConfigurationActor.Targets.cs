using Akka.Actor;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Node.Targets;

namespace IscsiCluster.Node.Administration;

public sealed partial class ConfigurationActor
{
    private readonly Dictionary<int, IActorRef> _targets = [];
    private long _generation;

    /// <summary>
    /// Brings the target actors in line with <paramref name="next"/>: deleted targets retire (their
    /// sessions are asked to log out), new ones start, the others get their new definition, which
    /// applies to the next login at once. Then the portal's directory is replaced.
    /// </summary>
    private void Reconcile(ClusterConfiguration previous, ClusterConfiguration next)
    {
        foreach (var gone in previous.Targets.Where(t => next.FindTarget(t.Tid) is null))
        {
            if (_targets.Remove(gone.Tid, out var actor))
            {
                actor.Tell(new TargetActor.Retire(_timeouts.RetireGrace));
                NodeLog.TargetRetired(_logger, gone.Tid, gone.Name);
            }
        }

        foreach (var target in next.Targets)
        {
            var runtime = Runtime(next, target);
            if (_targets.TryGetValue(target.Tid, out var actor))
            {
                actor.Tell(new TargetActor.Configure(runtime));
                continue;
            }

            var absent = _lunFactory.Absent(target.Name);
            _targets[target.Tid] = Context.ActorOf(
                Props.Create(() => new TargetActor(runtime, absent)),
                $"target-{target.Tid}-{++_generation}");
            NodeLog.TargetStarted(_logger, target.Tid, target.Name, target.Luns.Count);
            if (target.InitiatorAddresses.Count == 0 && target.InitiatorNames.Count == 0)
            {
                NodeLog.TargetWithoutAcl(_logger, target.Tid, target.Name);
            }
        }

        _directory.Publish(
            next.Targets.Select(t => KeyValuePair.Create(t.Name, _targets[t.Tid])),
            new DiscoveryAccess(Accounts(next, next.DiscoveryIncomingUsers), Account(next, next.DiscoveryOutgoingUser)));
    }

    private TargetRuntime Runtime(ClusterConfiguration configuration, TargetDefinition target) =>
        new(target, Accounts(configuration, target.IncomingUsers), Account(configuration, target.OutgoingUser), _lunFactory.Build(target));

    private static List<ChapAccount> Accounts(ClusterConfiguration configuration, IEnumerable<string> users) =>
        [.. users.Select(user => Account(configuration, user)).OfType<ChapAccount>()];

    private static ChapAccount? Account(ClusterConfiguration configuration, string? user) =>
        user is not null && configuration.FindAccount(user) is { } account ? new ChapAccount(account.User, account.Password) : null;
}
