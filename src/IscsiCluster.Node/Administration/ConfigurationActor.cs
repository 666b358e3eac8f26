using Akka.Actor;
using IscsiCluster.Admin.Contracts.Editing;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Admin.Server;
using IscsiCluster.Node.Luns;
using IscsiCluster.Node.Targets;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Administration;

/// <summary>
/// The one owner of the node's configuration. It applies admin requests one at a time
/// (<see cref="ConfigurationEditor"/> decides, with the live facts only the node knows), creates, resizes
/// and deletes volumes, stores the result before answering, then brings the target actors in line
/// (<c>ConfigurationActor.Targets.cs</c>). Show answers come from here too.
/// </summary>
public sealed partial class ConfigurationActor : ReceiveActor
{
    private readonly ConfigurationStore _store;
    private readonly LunVolumes _volumes;
    private readonly LunFactory _lunFactory;
    private readonly TargetDirectory _directory;
    private readonly NodeTimeouts _timeouts;
    private readonly ILogger _logger;
    private ClusterConfiguration _configuration;

    public ConfigurationActor(
        ClusterConfiguration configuration,
        ConfigurationStore store,
        LunVolumes volumes,
        LunFactory lunFactory,
        TargetDirectory directory,
        NodeTimeouts timeouts,
        ILogger logger)
    {
        _configuration = configuration;
        _store = store;
        _volumes = volumes;
        _lunFactory = lunFactory;
        _directory = directory;
        _timeouts = timeouts;
        _logger = logger;

        // ReceiveAsync suspends the mailbox until a request is done: requests never interleave.
        ReceiveAsync<Apply>(HandleApplyAsync);
        Receive<GetTargetNames>(_ => Sender.Tell(new TargetNames([.. _configuration.Targets.Select(t => t.Name)])));
    }

    protected override void PreStart() => Reconcile(ClusterConfiguration.Empty, _configuration);

    private async Task HandleApplyAsync(Apply apply)
    {
        var replyTo = Sender;
        AdmResponse response;
        try
        {
            response = await ApplyAsync(apply.Request, apply.Progress, apply.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            response = AdmResponse.Failure(AdmError.UnknownError, "the node is stopping; the request was not applied");
        }
        catch (Exception e)
        {
            // The configuration in memory is only replaced once stored, so a failure leaves it as it was.
            NodeLog.RequestFailed(_logger, e, apply.Request.ToString());
            response = AdmResponse.Failure(AdmError.UnknownError, "the node failed to apply the request; see its log");
        }

        if (!response.Succeeded)
        {
            NodeLog.RequestRefused(_logger, response.Error.ToString(), apply.Request.ToString());
        }

        replyTo.Tell(response);
    }

    private async Task<AdmResponse> ApplyAsync(AdmRequest request, IAdminProgress progress, CancellationToken cancellationToken)
    {
        if (request is { Mode: AdmMode.LogicalUnit, Op: AdmOp.New, BackingStore: { } backingStore } && !Path.IsPathFullyQualified(backingStore))
        {
            // The node opens the file, and its working directory is not the administrator's.
            return AdmResponse.Failure(AdmError.BackingStoreUnavailable, $"{backingStore}: give an absolute path (the node opens it, from its own working directory)");
        }

        var sessions = await CollectSessionsAsync(cancellationToken);
        var backingStoreSize = request is { Mode: AdmMode.LogicalUnit, Op: AdmOp.New, BackingStore: { } path }
            ? BackingStoreSize.TryMeasure(path)
            : null;
        var context = new EditContext(sessions.Select(s => s.Tid).ToHashSet(), backingStoreSize);
        var result = ConfigurationEditor.Apply(_configuration, request, context);
        if (!result.Succeeded)
        {
            return result.ToFailureResponse();
        }

        return result.Changed
            ? await ChangeAsync(request, result.Configuration, progress, cancellationToken)
            : await ServeAsync(request, sessions, cancellationToken);
    }

    /// <summary>Read-only and live operations: show, stat, and ending a session or connection.</summary>
    private async Task<AdmResponse> ServeAsync(AdmRequest request, IReadOnlyList<SessionInfo> sessions, CancellationToken cancellationToken)
    {
        switch (request.Op)
        {
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
        var closed = await target.Ask<TargetActor.SessionsClosed>(
            new TargetActor.CloseSessions(request.Sid, isConnection ? request.Cid : null, "ended by the administrator"),
            _timeouts.Ask,
            cancellationToken);
        return closed.Count == 0 ? AdmResponse.Failure(missing, detail) : AdmResponse.Ok();
    }

    /// <summary>A change: volumes first, then the stored configuration, then the running targets, then freed volumes.</summary>
    private async Task<AdmResponse> ChangeAsync(AdmRequest request, ClusterConfiguration next, IAdminProgress progress, CancellationToken cancellationToken)
    {
        var created = new List<ulong>();
        var resized = new List<(ulong VolumeId, long FromBytes, long ToBytes)>();
        try
        {
            foreach (var (volumeId, fromBytes, toBytes) in Resizes(_configuration, next))
            {
                _volumes.Resize(volumeId, fromBytes, toBytes);
                resized.Add((volumeId, fromBytes, toBytes));
            }

            foreach (var target in next.Targets)
            {
                foreach (var lun in target.Luns.Where(l => l.VolumeId is null))
                {
                    var volumeId = await _volumes.CreateAsync(lun, progress, cancellationToken);
                    created.Add(volumeId);
                    next = next.WithLunVolumeId(target.Tid, lun.Lun, volumeId);
                    NodeLog.LunReady(_logger, target.Tid, target.Name, lun.Lun, lun.SizeBytes, lun.BlockSize, volumeId);
                }
            }

            // Durable before the command returns (ARCHITECTURE invariant 5).
            _store.Save(next);
        }
        catch (Exception e)
        {
            foreach (var volumeId in created)
            {
                _volumes.Delete(volumeId);
            }

            // Back to the size the stored configuration names (data a shrink freed stays freed).
            foreach (var (volumeId, fromBytes, toBytes) in resized)
            {
                _volumes.Resize(volumeId, toBytes, fromBytes);
            }

            if (e is LunImportException import)
            {
                return AdmResponse.Failure(AdmError.ImportFailed, import.Message);
            }

            throw;
        }

        var previous = _configuration;
        _configuration = next;
        Reconcile(previous, next);
        var kept = next.Targets.SelectMany(t => t.Luns).Select(l => l.VolumeId).ToHashSet();
        foreach (var freed in previous.Targets.SelectMany(t => t.Luns).Select(l => l.VolumeId).OfType<ulong>().Where(id => !kept.Contains(id)))
        {
            _volumes.Delete(freed);
        }

        NodeLog.ConfigurationChanged(_logger, request.ToString());
        return AdmResponse.Ok();
    }

    /// <summary>The volumes of LUNs whose size differs between <paramref name="previous"/> and <paramref name="next"/> (logicalunit update size=).</summary>
    private static IEnumerable<(ulong VolumeId, long FromBytes, long ToBytes)> Resizes(ClusterConfiguration previous, ClusterConfiguration next)
    {
        var sizes = previous.Targets.SelectMany(t => t.Luns)
            .Where(l => l.VolumeId is not null)
            .ToDictionary(l => l.VolumeId!.Value, l => l.SizeBytes);
        foreach (var lun in next.Targets.SelectMany(t => t.Luns))
        {
            if (lun.VolumeId is { } id && sizes.TryGetValue(id, out var before) && before != lun.SizeBytes)
            {
                yield return (id, before, lun.SizeBytes);
            }
        }
    }

    private async Task<IReadOnlyList<SessionInfo>> CollectSessionsAsync(CancellationToken cancellationToken)
    {
        var sessions = new List<SessionInfo>();
        foreach (var target in _targets.Values)
        {
            // A target that does not answer has no session anyone can use.
            var list = await TryAskAsync<TargetActor.SessionList>(target, TargetActor.GetSessions.Instance, cancellationToken);
            sessions.AddRange(list?.Sessions ?? []);
        }

        return sessions;
    }

    /// <summary>Applies one admin request; the answer is an <see cref="AdmResponse"/>.</summary>
    /// <param name="Request">The request, already authorized by the management endpoint.</param>
    /// <param name="Progress">Where an import reports its progress.</param>
    /// <param name="CancellationToken">Cancelled when the node stops.</param>
    public sealed record Apply(AdmRequest Request, IAdminProgress Progress, CancellationToken CancellationToken);

    /// <summary>Asks for the names of the configured targets (answered once the target actors exist).</summary>
    public sealed record GetTargetNames
    {
        public static readonly GetTargetNames Instance = new();

        private GetTargetNames()
        {
        }
    }

    /// <summary>The configured targets, in tid order.</summary>
    public sealed record TargetNames(IReadOnlyList<string> Names);
}

/// <summary>How long the node waits for its actors, and for the sessions of a deleted target to log out.</summary>
public sealed record NodeTimeouts(TimeSpan Ask, TimeSpan RetireGrace);
