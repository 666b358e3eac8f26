using System.Net;
using Akka.Actor;
using Akka.Cluster.Sharding;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Cluster;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Node.Administration;
using Access = IscsiCluster.Admin.Contracts.Editing.TargetAccess;

namespace IscsiCluster.Node.Targets;

/// <summary>
/// The cluster's one actor of a target: an entity of the "target" shard region, by tid. It decides, for every portal
/// of the cluster, who may log in (the target's state and ACL), which CHAP accounts a login must pass, and which of the
/// cluster's LUNs the target maps at which LUN numbers; the asking node's <see cref="TargetPort"/> then binds those LUNs
/// to its own ports. It decides from the cluster's configuration as its node holds it. A question from a node that
/// already holds a newer configuration waits until this node has it too, so a target just created or changed through
/// one node is decided on its new definition. Once the target is deleted the entity says so and passivates.
/// </summary>
public sealed class TargetEntity : ReceiveActor, IWithTimers
{
    // Re-reads the configuration for waiting questions even when no change is signalled.
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(250);

    // A question still waiting after this long has been given up by its asker (whose ask times out sooner): it is dropped.
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    private readonly int _tid;
    private readonly ClusterConfigurationView _view;
    private readonly List<(AccessQuery Query, IActorRef ReplyTo, DateTime Since)> _waiting = [];
    private readonly Action<ClusterConfiguration> _onChanged;

    public ITimerScheduler Timers { get; set; } = null!;

    public TargetEntity(int tid, ClusterConfigurationView view)
    {
        _tid = tid;
        _view = view;
        var self = Self;
        _onChanged = _ => self.Tell(ConfigurationChanged.Instance);

        Receive<AccessQuery>(query =>
        {
            if (!TryAnswer(query, Sender))
            {
                _waiting.Add((query, Sender, DateTime.UtcNow));
                Timers.StartPeriodicTimer(ConfigurationChanged.Instance, ConfigurationChanged.Instance, RecheckInterval);
            }
        });
        Receive<ConfigurationChanged>(_ =>
        {
            var giveUp = DateTime.UtcNow - GiveUpAfter;
            _waiting.RemoveAll(w => w.Since < giveUp || TryAnswer(w.Query, w.ReplyTo));
            if (_waiting.Count == 0)
            {
                Timers.Cancel(ConfigurationChanged.Instance);
            }
        });
    }

    protected override void PreStart() => _view.Changed += _onChanged;

    protected override void PostStop() => _view.Changed -= _onChanged;

    /// <summary>Answers when this node's configuration is at least as new as the asker's; false to wait for it.</summary>
    private bool TryAnswer(AccessQuery query, IActorRef replyTo)
    {
        var version = _view.Version;
        var configuration = _view.Current;
        if (version < query.ConfigurationVersion)
        {
            return false;
        }

        if (configuration.FindTarget(_tid) is not { } target)
        {
            replyTo.Tell(AccessDecision.NoSuchTarget(_tid));
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
            return true;
        }

        replyTo.Tell(Decide(configuration, target, query));
        return true;
    }

    /// <summary>tgt's order: an offline target admits no one; a ready one asks its ACL; CHAP comes at login.</summary>
    private static AccessDecision Decide(ClusterConfiguration configuration, TargetDefinition target, AccessQuery query)
    {
        var admitted = target.State == TargetState.Ready
            && IPAddress.TryParse(query.InitiatorAddress, out var address)
            && Access.Admits(target, query.InitiatorName, address);
        return new AccessDecision(
            target.Tid,
            Exists: true,
            target.Name,
            target.Alias,
            admitted,
            ConfiguredAccounts.Resolve(configuration, target.IncomingUsers),
            ConfiguredAccounts.Resolve(configuration, target.OutgoingUser),
            target.Luns.Where(l => l.VolumeId is not null).ToDictionary(l => l.Lun, l => l.VolumeId!.Value));
    }

    private sealed class ConfigurationChanged
    {
        public static readonly ConfigurationChanged Instance = new();
    }
}

/// <summary>
/// Asks a target's entity what a login or SendTargets request from this initiator may do. The answer is an
/// <see cref="AccessDecision"/>, given once the entity's node holds at least configuration <paramref name="ConfigurationVersion"/>.
/// </summary>
public sealed record AccessQuery(int Tid, long ConfigurationVersion, string InitiatorName, string InitiatorAddress) : IClusterMessage;

/// <summary>A target entity's answer to an <see cref="AccessQuery"/>.</summary>
/// <param name="Tid">The target.</param>
/// <param name="Exists">False once the target is deleted (all else is then empty).</param>
/// <param name="TargetName">Its iSCSI name.</param>
/// <param name="Alias">The TargetAlias to declare, if any.</param>
/// <param name="Admitted">Whether the target is ready and its ACL admits the initiator.</param>
/// <param name="IncomingAccounts">The CHAP accounts a login may authenticate as (empty: none needed).</param>
/// <param name="OutgoingAccount">The account the target answers mutual CHAP with, or null.</param>
/// <param name="LunIds">The target's LUNs: the cluster-wide LUN id by LUN number (LUN 0, the controller, is every node's own).</param>
public sealed record AccessDecision(
    int Tid,
    bool Exists,
    string TargetName,
    string? Alias,
    bool Admitted,
    IReadOnlyList<ChapAccount> IncomingAccounts,
    ChapAccount? OutgoingAccount,
    IReadOnlyDictionary<ulong, ulong> LunIds) : IClusterMessage
{
    public static AccessDecision NoSuchTarget(int tid) => new(tid, false, "", null, false, [], null, new Dictionary<ulong, ulong>());

    /// <summary>Keeps secrets out of logs and dead-letter lines.</summary>
    public override string ToString() => $"AccessDecision {{ Tid = {Tid}, Exists = {Exists}, Admitted = {Admitted}, Luns = {LunIds.Count} }}";
}

/// <summary>The CHAP accounts a configuration binds, by user name, resolved to their secrets.</summary>
internal static class ConfiguredAccounts
{
    public static List<ChapAccount> Resolve(ClusterConfiguration configuration, IEnumerable<string> users) =>
        [.. users.Select(user => Resolve(configuration, user)).OfType<ChapAccount>()];

    public static ChapAccount? Resolve(ClusterConfiguration configuration, string? user) =>
        user is not null && configuration.FindAccount(user) is { } account ? new ChapAccount(account.User, account.Password) : null;
}
