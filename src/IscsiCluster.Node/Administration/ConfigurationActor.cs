using System.Text;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using IscsiCluster.Admin.Contracts.Editing;
using IscsiCluster.Admin.Contracts.Json;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Admin.Server;
using IscsiCluster.Node.Forwarding;
using IscsiCluster.Node.Luns;
using IscsiCluster.Node.Targets;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Administration;

/// <summary>
/// This node's copy of the cluster's configuration and everything it runs from it: target actors, its ports of the
/// cluster's LUNs, its replicas, the portal's directory (<c>ConfigurationActor.Targets.cs</c>). The configuration itself
/// belongs to the cluster (<see cref="ConfigurationOwner"/>): every published version replaces this copy, and an admin
/// request that changes it is decided here (<see cref="ConfigurationEditor"/>, with the live facts only nodes know) and
/// proposed to the owner as the next version, which is durable on a majority before the request is answered. Requests
/// are applied one at a time; show answers come from here. Importing a new LUN's backing store (<c>-b PATH</c>) runs
/// beside them, off this actor's mailbox: <c>show</c> and other edits are answered meanwhile, edits that touch the LUN
/// being imported (or its target's deletion) are refused until it is done, and the import's own request is answered when
/// it ends.
/// </summary>
public sealed partial class ConfigurationActor : ReceiveActor, IWithTimers
{
    private const int ProposalAttempts = 5;

    private readonly ConfigurationStore _cache;
    private readonly LunFactory _lunFactory;
    private readonly TargetDirectory _directory;
    private readonly ClusterConfigurationView _view;
    private readonly LunImporter _importer;
    private readonly ClusterParts _cluster;
    private readonly NodeTimeouts _timeouts;
    private readonly ILogger _logger;
    private readonly bool _refuseShortSecrets;
    private ClusterConfiguration _configuration = ClusterConfiguration.Empty;
    private long _version;

    // The LUNs whose backing store is being imported, by volume id.
    private readonly Dictionary<ulong, (int Tid, ulong Lun)> _importing = [];

    public ITimerScheduler Timers { get; set; } = null!;

    public ConfigurationActor(
        ConfigurationStore cache,
        LunFactory lunFactory,
        TargetDirectory directory,
        ClusterConfigurationView view,
        LunImporter importer,
        ClusterParts cluster,
        NodeTimeouts timeouts,
        bool refuseShortSecrets,
        ILogger logger)
    {
        _refuseShortSecrets = refuseShortSecrets;
        _cache = cache;
        _lunFactory = lunFactory;
        _directory = directory;
        _view = view;
        _importer = importer;
        _cluster = cluster;
        _timeouts = timeouts;
        _logger = logger;

        // ReceiveAsync suspends the mailbox until a request is done: requests never interleave.
        ReceiveAsync<Apply>(HandleApplyAsync);
        Receive<ImportsDone>(FinishImports);
        Receive<ConfigurationPublished>(published =>
        {
            if (published.Version > _version)
            {
                Adopt(published.Version, AdminJson.DeserializeConfiguration(Encoding.UTF8.GetString(published.Json)));
            }
            else if (!_view.Loaded.IsCompleted)
            {
                // The cluster confirms the copy this node started from: it is now authoritative here too.
                Reconcile(_configuration, _configuration, fromCluster: true);
            }
        });
        Receive<SubscribeAck>(_ => { });

        // Until the first publication arrives, the configuration's owner is woken (wherever sharding starts it) every second.
        Receive<WakeOwner>(_ =>
        {
            if (_view.Loaded.IsCompleted)
            {
                Timers.Cancel(WakeOwner.Instance);
                return;
            }

            _cluster.ConfigurationRegion.Tell(WakeConfiguration.Instance);
        });
        Receive<GetTargetNames>(_ => Sender.Tell(new TargetNames([.. _configuration.Targets.Select(t => t.Name)])));
        ReceiveAsync<GetReadiness>(async _ =>
        {
            var replyTo = Sender;
            var served = await Task.WhenAll(_ports.Values.Select(async port =>
            {
                try
                {
                    return await port.Ask<bool>(LunPort.IsServed.Any, _timeouts.Ask);
                }
                catch (AskTimeoutException)
                {
                    return false;
                }
            }));
            replyTo.Tell(new Readiness(_view.Loaded.IsCompleted && served.All(s => s)));
        });
    }

    protected override void PreStart()
    {
        // The last configuration this node received serves until the cluster publishes a newer one.
        // Without one, the node still keeps its replica of the configuration's volume, which a new cluster needs to start.
        if (_cache.TryLoad(out var cached, out var version))
        {
            _version = version;
            _configuration = cached;
        }

        Reconcile(ClusterConfiguration.Empty, _configuration, fromCluster: false);
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(ConfigurationPublished.Topic, Self));
        Timers.StartPeriodicTimer(WakeOwner.Instance, WakeOwner.Instance, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    /// <summary>Takes a newer version of the cluster's configuration: stores it as this node's copy and runs it.</summary>
    private void Adopt(long version, ClusterConfiguration next)
    {
        var previous = _configuration;
        _version = version;
        _configuration = next;
        _cache.Save(next, version);
        Reconcile(previous, next, fromCluster: true);
        NodeLog.ConfigurationAdopted(_logger, version, next.Targets.Count);
    }

    private async Task HandleApplyAsync(Apply apply)
    {
        var replyTo = Sender;
        AdmResponse? response;
        try
        {
            response = await ApplyAsync(apply, replyTo);
            if (response is null)
            {
                return;                                  // an import answers when it ends (FinishImports)
            }
        }
        catch (OperationCanceledException)
        {
            response = AdmResponse.Failure(AdmError.UnknownError, "the node is stopping; the request was not applied");
        }
        catch (Exception e)
        {
            NodeLog.RequestFailed(_logger, e, apply.Request.ToString());
            response = AdmResponse.Failure(AdmError.UnknownError, "the node failed to apply the request; see its log");
        }

        if (!response.Succeeded)
        {
            NodeLog.RequestRefused(_logger, response.Error.ToString(), apply.Request.ToString());
        }

        replyTo.Tell(response);
    }

    /// <summary>Applies the request; null when an import it started will answer <paramref name="replyTo"/> once done.</summary>
    private async Task<AdmResponse?> ApplyAsync(Apply apply, IActorRef replyTo)
    {
        var (request, progress, cancellationToken) = (apply.Request, apply.Progress, apply.CancellationToken);
        if (ImportTouchedBy(request) is { } busy)
        {
            return AdmResponse.Failure(AdmError.LunBusy, $"LUN {busy.Lun} of tid {busy.Tid} is still being imported; try again once its import has finished");
        }

        if (request is { Mode: AdmMode.LogicalUnit, Op: AdmOp.New, BackingStore: { } backingStore } && !Path.IsPathFullyQualified(backingStore))
        {
            // The node opens the file, and its working directory is not the administrator's.
            return AdmResponse.Failure(AdmError.BackingStoreUnavailable, $"{backingStore}: give an absolute path (the node opens it, from its own working directory)");
        }

        for (var attempt = 1; ; attempt++)
        {
            var sessions = await CollectSessionsAsync(cancellationToken);
            // Whether a target has sessions is a question for every node: an initiator may be logged in through any portal.
            var loggedIn = (await ClusterSessionsAsync(cancellationToken)).Values.SelectMany(s => s).Select(s => s.Tid).ToHashSet();
            var backingStoreSize = request is { Mode: AdmMode.LogicalUnit, Op: AdmOp.New, BackingStore: { } path }
                ? BackingStoreSize.TryMeasure(path)
                : null;
            var context = new EditContext(loggedIn, backingStoreSize) { RefuseShortSecrets = _refuseShortSecrets };
            var result = ConfigurationEditor.Apply(_configuration, request, context);
            if (!result.Succeeded)
            {
                return result.ToFailureResponse();
            }

            if (!result.Changed)
            {
                return await ServeAsync(request, sessions, cancellationToken);
            }

            var next = WithVolumeIds(result.Configuration);
            var outcome = await ProposeAsync(next, cancellationToken);
            if (outcome.Accepted)
            {
                var previous = _configuration;
                Adopt(outcome.Version, next);
                NodeLog.ConfigurationChanged(_logger, request.ToString());
                var waits = NewLunWaits(previous, next);
                var imports = NewImports(previous, next);
                if (imports.Count == 0)
                {
                    await WaitForNewLunsAsync(waits, _timeouts, cancellationToken);
                    return AdmResponse.Ok();
                }

                StartImports(imports, waits, apply, replyTo);
                return null;
            }

            if (outcome.Current is not { } current || attempt >= ProposalAttempts)
            {
                return AdmResponse.Failure(AdmError.UnknownError, outcome.Error ?? "the cluster's configuration changed under every attempt; try again");
            }

            // Another node changed the configuration first: decide again on the newer version.
            Adopt(outcome.Version, AdminJson.DeserializeConfiguration(Encoding.UTF8.GetString(current)));
        }
    }

    private async Task<ConfigurationProposalResult> ProposeAsync(ClusterConfiguration next, CancellationToken cancellationToken)
    {
        var json = Encoding.UTF8.GetBytes(AdminJson.Serialize(next));
        try
        {
            return await _cluster.ConfigurationRegion.Ask<ConfigurationProposalResult>(
                new ProposeConfiguration(_version, json), _timeouts.Proposal, cancellationToken);
        }
        catch (AskTimeoutException)
        {
            return new ConfigurationProposalResult(false, _version, null,
                "the cluster's configuration owner did not answer: is a majority of the nodes up?");
        }
    }

    /// <summary>New LUNs get their cluster-wide id here, before anyone else sees them.</summary>
    private static ClusterConfiguration WithVolumeIds(ClusterConfiguration configuration)
    {
        foreach (var target in configuration.Targets)
        {
            foreach (var lun in target.Luns.Where(l => l.VolumeId is null))
            {
                configuration = configuration.WithLunVolumeId(target.Tid, lun.Lun, LunIds.NewId());
            }
        }

        return configuration;
    }

    /// <summary>The LUN being imported that <paramref name="request"/> would change or delete; null when it touches none.</summary>
    private (int Tid, ulong Lun)? ImportTouchedBy(AdmRequest request)
    {
        if (request.Op is AdmOp.Show or AdmOp.Stat || request.Tid is not { } tid)
        {
            return null;
        }

        foreach (var importing in _importing.Values)
        {
            var touches = request.Mode switch
            {
                AdmMode.LogicalUnit => importing.Tid == tid && request.Lun == importing.Lun,
                AdmMode.Target => importing.Tid == tid && request.Op == AdmOp.Delete,
                _ => false,
            };
            if (touches)
            {
                return importing;
            }
        }

        return null;
    }

    /// <summary>The LUNs this change added from a file, with this node's port of each.</summary>
    private List<Import> NewImports(ClusterConfiguration previous, ClusterConfiguration next)
    {
        var before = previous.Targets.SelectMany(t => t.Luns).Select(l => l.VolumeId).ToHashSet();
        return
        [
            .. next.Targets.SelectMany(t => t.Luns
                .Where(l => l.Source == LunSource.Imported && !before.Contains(l.VolumeId))
                .Select(l => new Import(t.Tid, l, _ports[l.VolumeId!.Value]))),
        ];
    }

    /// <summary>
    /// Starts copying the backing stores off the mailbox (on the thread pool, not as a continuation of this actor): the
    /// LUNs are marked as importing until <see cref="ImportsDone"/> comes back with the answer for the administrator.
    /// </summary>
    private void StartImports(List<Import> imports, List<(IActorRef Port, LunPort.IsServed Query)> waits, Apply apply, IActorRef replyTo)
    {
        foreach (var import in imports)
        {
            _importing[import.Lun.VolumeId!.Value] = (import.Tid, import.Lun.Lun);
        }

        var (importer, self, timeouts, logger) = (_importer, _cluster.Self, _timeouts, _logger);
        var actor = Self;
        _ = Task.Run(async () =>
        {
            AdmResponse response;
            try
            {
                response = await ImportAsync(importer, imports, self, apply.Progress, apply.CancellationToken);
                await WaitForNewLunsAsync(waits, timeouts, apply.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                response = AdmResponse.Failure(AdmError.UnknownError, "the node is stopping; the import did not finish");
            }
            catch (Exception e)
            {
                NodeLog.RequestFailed(logger, e, apply.Request.ToString());
                response = AdmResponse.Failure(AdmError.UnknownError, "the node failed to import the backing store; see its log");
            }

            actor.Tell(new ImportsDone(imports, apply.Request, replyTo, response));
        });
    }

    private void FinishImports(ImportsDone done)
    {
        foreach (var import in done.Imports)
        {
            _importing.Remove(import.Lun.VolumeId!.Value);
        }

        if (!done.Response.Succeeded)
        {
            NodeLog.RequestRefused(_logger, done.Response.Error.ToString(), done.Request.ToString());
        }

        done.ReplyTo.Tell(done.Response);
    }

    /// <summary>Copies the backing store of every LUN this change added from a file, through the LUN's owner.</summary>
    private static async Task<AdmResponse> ImportAsync(LunImporter importer, List<Import> imports, int self, IAdminProgress progress, CancellationToken cancellationToken)
    {
        foreach (var import in imports)
        {
            try
            {
                await importer.ImportAsync(import.Port, import.Lun, self, progress, cancellationToken);
            }
            catch (LunImportException e)
            {
                return AdmResponse.Failure(AdmError.ImportFailed, $"{e.Message}; LUN {import.Lun.Lun} of tid {import.Tid} exists but holds only part of the file (delete it and try again)");
            }
        }

        return AdmResponse.Ok();
    }

    /// <summary>This node's port of every LUN the change added or resized, with the question that tells when it serves.</summary>
    private List<(IActorRef Port, LunPort.IsServed Query)> NewLunWaits(ClusterConfiguration previous, ClusterConfiguration next)
    {
        var before = previous.Targets.SelectMany(t => t.Luns).ToDictionary(l => l.VolumeId ?? 0, l => l.SizeBytes);
        return next.Targets.SelectMany(t => t.Luns)
            .Where(l => l.VolumeId is { } id && (!before.TryGetValue(id, out var size) || size != l.SizeBytes) && _ports.ContainsKey(id))
            .Select(l => (Port: _ports[l.VolumeId!.Value], Query: new LunPort.IsServed(ReplicatedLayout.ReplicatedBytes(l.SizeBytes))))
            .ToList();
    }

    /// <summary>
    /// A command that adds or resizes LUNs returns once their owners serve (a few seconds: a new owner waits out the read
    /// lease), so an initiator that logs in right after finds them ready; the change is durable either way.
    /// </summary>
    private static async Task WaitForNewLunsAsync(List<(IActorRef Port, LunPort.IsServed Query)> changed, NodeTimeouts timeouts, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeouts.Proposal;
        foreach (var (port, query) in changed)
        {
            while (DateTime.UtcNow < deadline && !await port.Ask<bool>(query, timeouts.Ask, cancellationToken))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }

    /// <summary>Read-only and live operations: show, stat, and ending a session or connection.</summary>
    private async Task<AdmResponse> ServeAsync(AdmRequest request, IReadOnlyList<SessionInfo> sessions, CancellationToken cancellationToken)
    {
        switch (request.Op)
        {
            case AdmOp.Show when request.Mode == AdmMode.Cluster:
                return await ShowClusterAsync(cancellationToken);
            case AdmOp.Show or AdmOp.Stat:
                var luns = _configuration.Targets.SelectMany(_lunFactory.RuntimeInfo).ToList();
                var payload = AdmPayload.ForShow(request, _configuration, sessions, luns);
                return AdmResponse.Ok(request.Op == AdmOp.Stat
                    ? payload with { Statistics = await CollectStatisticsAsync(request, cancellationToken) }
                    : payload);
            case AdmOp.Delete when request.Mode is AdmMode.Session or AdmMode.Connection:
                return await CloseSessionsAsync(request, cancellationToken);
            default:
                return AdmResponse.Ok();
        }
    }

    private async Task<AdmResponse> CloseSessionsAsync(AdmRequest request, CancellationToken cancellationToken)
    {
        var isConnection = request.Mode == AdmMode.Connection;
        var missing = isConnection ? AdmError.NoConnection : AdmError.NoSession;
        var detail = isConnection ? $"sid {request.Sid} cid {request.Cid} of tid {request.Tid}" : $"sid {request.Sid} of tid {request.Tid}";
        if (request.Tid is not { } tid || !_targets.TryGetValue(tid, out var target))
        {
            return AdmResponse.Failure(missing, detail);
        }

        // A session has one connection here (MaxConnections=1), so ending the connection ends its session.
        var closed = await target.Ask<TargetPort.SessionsClosed>(
            new TargetPort.CloseSessions(request.Sid, isConnection ? request.Cid : null, "ended by the administrator"),
            _timeouts.Ask,
            cancellationToken);
        return closed.Count == 0 ? AdmResponse.Failure(missing, detail) : AdmResponse.Ok();
    }

    private Task<IReadOnlyList<SessionInfo>> CollectSessionsAsync(CancellationToken cancellationToken) => _directory.SessionsAsync(cancellationToken);

    private sealed class WakeOwner
    {
        public static readonly WakeOwner Instance = new();
    }

    /// <summary>A LUN added from a backing store: its target, its definition and this node's port of it.</summary>
    private sealed record Import(int Tid, LunDefinition Lun, IActorRef Port);

    /// <summary>The imports a request started have ended: <paramref name="Response"/> is the request's answer.</summary>
    private sealed record ImportsDone(List<Import> Imports, AdmRequest Request, IActorRef ReplyTo, AdmResponse Response);

    /// <summary>Applies one admin request; the answer is an <see cref="AdmResponse"/>.</summary>
    /// <param name="Request">The request, already authorized by the management endpoint.</param>
    /// <param name="Progress">Where an import reports its progress.</param>
    /// <param name="CancellationToken">Cancelled when the node stops.</param>
    public sealed record Apply(AdmRequest Request, IAdminProgress Progress, CancellationToken CancellationToken);

    /// <summary>Asks for the names of the configured targets.</summary>
    public sealed record GetTargetNames
    {
        public static readonly GetTargetNames Instance = new();

        private GetTargetNames()
        {
        }
    }

    /// <summary>Asks whether the node serves the cluster's configuration and reaches a serving owner of every LUN.</summary>
    public sealed class GetReadiness
    {
        public static readonly GetReadiness Instance = new();

        private GetReadiness()
        {
        }
    }

    public sealed record Readiness(bool Ready);

    /// <summary>The configured targets, in tid order.</summary>
    public sealed record TargetNames(IReadOnlyList<string> Names);
}

/// <summary>How long the node waits for its actors, for the configuration's owner, and for the sessions of a deleted target to log out.</summary>
public sealed record NodeTimeouts(TimeSpan Ask, TimeSpan RetireGrace)
{
    /// <summary>How long a proposed change may take to become durable on a majority.</summary>
    public TimeSpan Proposal { get; init; } = TimeSpan.FromSeconds(30);
}
