using System.Buffers.Binary;
using System.Text;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using IscsiCluster.Admin.Contracts.Json;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Cluster.Replication;
using IscsiCluster.Replication;
using IscsiCluster.Replication.Owner;
using IscsiCluster.Storage;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Administration;

/// <summary>
/// The owner of the cluster's configuration (a sharded entity, one in the cluster): the configuration lives in a small
/// replicated volume of its own, written with the same protocol as every LUN, so a change is durable on a majority before
/// it is accepted and survives any one node's loss. Changes are compare-and-set on the version (any node edits its
/// current copy and proposes the result); accepted ones are published to every node at once, and everything is
/// published again every few seconds. A cluster whose volume is still empty starts from this node's seed (its stored
/// configuration from before the cluster, or its HOCON targets).
/// <code>
///   configuration volume: version (8), JSON length (4), JSON (UTF-8)
/// </code>
/// </summary>
public sealed class ConfigurationOwner : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    /// <summary>The cluster-wide id of the configuration's volume (LUN ids are random 60-bit numbers, never this small).</summary>
    public const ulong VolumeId = 1;

    /// <summary>The configuration volume's size.</summary>
    public const long VolumeBytes = 16 * 1024 * 1024;

    private static readonly TimeSpan PublishInterval = TimeSpan.FromSeconds(2);

    private readonly BlockStore _store;
    private readonly ReplicationEndpoint _endpoint;
    private readonly Func<ClusterConfiguration> _seed;
    private readonly TimeSpan _tick;
    private readonly ILogger _logger;
    private readonly IActorRef _mediator = DistributedPubSub.Get(Context.System).Mediator;
    private readonly ReplicatedVolume _volume;
    private long _version;
    private byte[]? _json;

    public ConfigurationOwner(ReplicationSettings settings, BlockStore store, ReplicationEndpoint endpoint, Func<ClusterConfiguration> seed, TimeSpan tick, ILogger logger)
    {
        _store = store;
        _endpoint = endpoint;
        _seed = seed;
        _tick = tick;
        _logger = logger;
        var self = Self;
        _volume = new ReplicatedVolume(VolumeId, settings, endpoint, () => self.Tell(Commit.Instance), _ => self.Tell(StateChanged.Instance));
        Become(Loading);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    protected override void PreStart()
    {
        _endpoint.RegisterOwner(VolumeId, Self);
        Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, _tick);
        Timers.StartPeriodicTimer(Publish.Instance, Publish.Instance, PublishInterval);
        _volume.Start();
    }

    protected override void PostStop()
    {
        _volume.Stop();
        _endpoint.UnregisterOwner(VolumeId, Self);
    }

    /// <summary>Until its replica serves and the configuration is read (or seeded): proposals wait.</summary>
    private void Loading()
    {
        Receive<StateChanged>(_ =>
        {
            if (_volume.State == OwnerState.Serving)
            {
                Load();
            }
        });
        Receive<Loaded>(loaded =>
        {
            (_version, _json) = (loaded.Version, loaded.Json);
            NodeLog.ConfigurationOwned(_logger, _version, _volume.Epoch);
            PublishNow();
            Become(Serving);
            Stash.UnstashAll();
        });
        Receive<ProposeConfiguration>(_ => Stash.Stash());
        Receive<Publish>(_ => { });
        Receive<WakeConfiguration>(_ => { });
        Protocol();
    }

    private void Serving()
    {
        Receive<ProposeConfiguration>(proposal =>
        {
            if (Renewing(_volume.State))
            {
                // Its lease ran out (a long pause, a busy machine): the proposal waits until a majority confirms it again.
                Stash.Stash();
                Become(Resuming);
                return;
            }

            Propose(proposal);
        });
        Receive<Publish>(_ => PublishNow());
        Receive<WakeConfiguration>(_ => PublishNow());
        Receive<StateChanged>(_ => { });
        Protocol();
    }

    /// <summary>One proposal at a time: the next waits until this one's write is acknowledged or failed.</summary>
    private void Writing()
    {
        Receive<ProposeConfiguration>(_ => Stash.Stash());
        Receive<Written>(written =>
        {
            if (written.Error is null)
            {
                (_version, _json) = (written.Version, written.Proposal.Json);
                written.ReplyTo.Tell(new ConfigurationProposalResult(true, _version, null, null));
                PublishNow();
            }
            else if (written.NotServing && _volume.State is not (OwnerState.Fenced or OwnerState.Stopped))
            {
                // Refused only because the lease had run out at that moment: proposed again once it is renewed.
                Stash.Prepend([new Envelope(written.Proposal, written.ReplyTo)]);
                Become(Resuming);
                return;
            }
            else
            {
                written.ReplyTo.Tell(new ConfigurationProposalResult(false, _version, _json, written.Error));
            }

            Become(Serving);
            Stash.UnstashAll();
        });
        Receive<Publish>(_ => PublishNow());
        Receive<WakeConfiguration>(_ => PublishNow());
        Receive<StateChanged>(_ => { });
        Protocol();
    }

    /// <summary>Serving until the lease ran out: proposals wait for it to be renewed, in their order.</summary>
    private void Resuming()
    {
        Receive<ProposeConfiguration>(_ => Stash.Stash());
        Receive<StateChanged>(_ => ResumeWhenRenewed());
        Receive<Tick>(_ =>
        {
            // The state is current after a tick, even when the lease was renewed before a tick saw it run out.
            _volume.Tick();
            ResumeWhenRenewed();
        });
        Receive<Publish>(_ => PublishNow());
        Receive<WakeConfiguration>(_ => PublishNow());
        Protocol();
    }

    private void ResumeWhenRenewed()
    {
        if (!Renewing(_volume.State))
        {
            Become(Serving);
            Stash.UnstashAll();
        }
    }

    /// <summary>Whether the volume does not serve now but may again (not fenced, not stopped).</summary>
    private static bool Renewing(OwnerState state) => state is OwnerState.LeaseLapsed or OwnerState.WaitingLease or OwnerState.Recovering;

    private void Protocol()
    {
        Receive<Commit>(_ => _volume.CommitStaged());
        Receive<OwnerInput>(input => _volume.Handle(input));
        Receive<Tick>(_ => _volume.Tick());
    }

    private void Load()
    {
        var header = new byte[12];
        _store.Read(VolumeId, 0, header);
        var version = BinaryPrimitives.ReadInt64BigEndian(header);
        if (version > 0)
        {
            var json = new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8))];
            _store.Read(VolumeId, 12, json);
            Self.Tell(new Loaded(version, json));
            return;
        }

        // A new cluster: the seed becomes version 1, durable before anyone sees it.
        var seed = Encoding.UTF8.GetBytes(AdminJson.Serialize(_seed()));
        var self = Self;
        _volume.Write(0, Blob(1, seed), fua: true).ContinueWith(
            task => self.Tell(task.IsCompletedSuccessfully ? new Loaded(1, seed) : StateChanged.Instance),
            TaskScheduler.Default);
    }

    private void Propose(ProposeConfiguration proposal)
    {
        if (proposal.BaseVersion != _version)
        {
            Sender.Tell(new ConfigurationProposalResult(false, _version, _json, null));
            return;
        }

        var version = _version + 1;
        var replyTo = Sender;
        var self = Self;
        var blob = Blob(version, proposal.Json);
        if (blob.Length > VolumeBytes)
        {
            Sender.Tell(new ConfigurationProposalResult(false, _version, _json, $"the configuration is larger than its {VolumeBytes}-byte volume"));
            return;
        }

        Become(Writing);
        _volume.Write(0, blob, fua: true).ContinueWith(
            task => self.Tell(new Written(version, proposal, replyTo,
                task.IsCompletedSuccessfully ? null : $"the configuration could not be written on a majority ({task.Exception?.InnerException?.Message})",
                task.Exception?.InnerException is ReplicationUnavailableException { Status: CompletionStatus.NotServing })),
            TaskScheduler.Default);
    }

    private void PublishNow()
    {
        if (_json is not null)
        {
            _mediator.Tell(new Akka.Cluster.Tools.PublishSubscribe.Publish(ConfigurationPublished.Topic, new ConfigurationPublished(_version, _json, _endpoint.Self)));
        }
    }

    private static byte[] Blob(long version, byte[] json)
    {
        var blob = new byte[12 + json.Length];
        BinaryPrimitives.WriteInt64BigEndian(blob, version);
        BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(8), json.Length);
        json.CopyTo(blob, 12);
        return blob;
    }

    private sealed record Loaded(long Version, byte[] Json);

    private sealed record Written(long Version, ProposeConfiguration Proposal, IActorRef ReplyTo, string? Error, bool NotServing);

    private sealed class Commit
    {
        public static readonly Commit Instance = new();
    }

    private sealed class StateChanged
    {
        public static readonly StateChanged Instance = new();
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed class Publish
    {
        public static readonly Publish Instance = new();
    }
}
