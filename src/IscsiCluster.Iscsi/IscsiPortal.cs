using System.Collections.Concurrent;
using System.Net;
using Akka.Actor;
using IscsiCluster.Iscsi.Connections;
using IscsiCluster.Iscsi.Sessions;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Network;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Iscsi;

/// <summary>
/// The iSCSI entry point of a node: listens on the configured portal, logs initiators in and
/// runs their sessions as actors, which reach targets and LUNs through <see cref="ITargetDirectory"/>.
/// </summary>
public sealed class IscsiPortal : IAsyncDisposable
{
    private readonly IscsiSettings _settings;
    private readonly ActorSystem _system;
    private readonly ITargetDirectory _directory;
    private readonly ILoggerFactory _loggerFactory;
    private readonly SocketListener _listener;
    private readonly ConnectionAdmission _admission;
    private readonly TransferBudget _transfers;
    private readonly SessionChurn _churn;
    private readonly ILogger _logger;
    private ITimer? _churnTimer;
    private readonly ConcurrentDictionary<long, ConnectionBudget> _connections = new();
    private long _peakPendingBytes;
    private long _peakOutputBytes;
    private long _peakPendingPdus;
    private IActorRef? _registry;
    private PortalContext? _context;
    private int _stopped;

    public IscsiPortal(IscsiSettings settings, ActorSystem system, ITargetDirectory directory, ILoggerFactory loggerFactory)
    {
        _settings = settings;
        _system = system;
        _directory = directory;
        _loggerFactory = loggerFactory;
        _listener = new SocketListener(settings.ListenEndPoint, HandleConnectionAsync, loggerFactory.CreateLogger<SocketListener>());
        _admission = new ConnectionAdmission(settings.Limits, settings.LoginTimeout, loggerFactory.CreateLogger<IscsiPortal>());
        _transfers = new TransferBudget(settings.Limits.NodeTransferBytes, settings.Limits.InitiatorTransferBytes);
        _churn = new SessionChurn(settings.SessionLog);
        _logger = loggerFactory.CreateLogger<IscsiPortal>();
    }

    /// <summary>The settings the portal runs with.</summary>
    internal IscsiSettings Settings => _settings;

    /// <summary>The address and port the portal listens on (the chosen port when the settings ask for port 0).</summary>
    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>Starts listening; returns once connections are accepted.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _registry = _system.ActorOf(Props.Create(() => new SessionRegistry()));
        _context = new PortalContext(_settings, _settings.Negotiation.ToLimits(), _directory, _registry, _transfers, _loggerFactory, new FailedLogins(_settings.FailedLogin), _churn);

        // Summaries are due one interval after an initiator's first quiet session; a tick of a tenth of it keeps them near time.
        var tick = TimeSpan.FromTicks(Math.Clamp(_settings.SessionLog.SummaryInterval.Ticks / 10, TimeSpan.TicksPerMillisecond * 100, TimeSpan.TicksPerSecond * 5));
        _churnTimer = TimeProvider.System.CreateTimer(_ => LogSessionSummaries(all: false), null, tick, tick);
        _listener.Start();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Asks every session's initiator to log out (RFC 7143 11.9.1 AsyncEvent 1, with the logout grace period) and
    /// refuses new logins; completes once every session has ended or after the grace period. The portal keeps
    /// listening until <see cref="StopAsync"/>, so the initiator's attempts are refused, not unanswered.
    /// </summary>
    /// <returns>True when every session ended in time.</returns>
    public async Task<bool> RequestLogoutAllAsync(string reason)
    {
        if (_registry is null || Volatile.Read(ref _stopped) != 0)
        {
            return true;
        }

        try
        {
            await _registry.Ask<AllSessionsStopped>(new RequestLogoutAll(reason), _settings.LogoutGracePeriod + TimeSpan.FromSeconds(1));
            return true;
        }
        catch (AskTimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// Ends every session (each is told the target drops it, RFC 7143 11.9 AsyncEvent 3), stops
    /// listening and closes what is left after the shutdown grace period.
    /// </summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0 || _registry is null)
        {
            return;
        }

        try
        {
            await _registry.Ask<AllSessionsStopped>(StopAllSessions.Instance, _settings.ShutdownGracePeriod + TimeSpan.FromSeconds(1));
        }
        catch (AskTimeoutException)
        {
            // Sessions still stopping are cut off with their connections below.
        }

        await _listener.StopAsync(_settings.ShutdownGracePeriod);
        _system.Stop(_registry);
        if (_churnTimer is not null)
        {
            await _churnTimer.DisposeAsync();
        }

        LogSessionSummaries(all: true);
    }

    /// <summary>Logs what initiators that open sessions in a loop did unlogged (<see cref="SessionChurn"/>).</summary>
    private void LogSessionSummaries(bool all)
    {
        foreach (var summary in _churn.TakeSummaries(all))
        {
            _logger.SessionsSummarised(summary.Initiator, summary.Address, summary.Opened, summary.Closed, summary.Elapsed);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _listener.DisposeAsync();
    }

    /// <summary>
    /// What the portal's connections hold now against their limits (limits in reference.conf), and the most
    /// they ever held: for tests and diagnostics.
    /// </summary>
    internal PortalUsage Usage
    {
        get
        {
            long pendingBytes = 0, outputBytes = 0;
            int pendingPdus = 0;
            foreach (var budget in _connections.Values)
            {
                pendingBytes += budget.PendingBytes;
                outputBytes += budget.OutputBytes;
                pendingPdus += budget.PendingPdus;
                NotePeaks(budget);
            }

            return new PortalUsage(
                _admission.Count,
                _admission.Refused,
                pendingPdus,
                pendingBytes,
                outputBytes,
                _transfers.Used,
                (int)Interlocked.Read(ref _peakPendingPdus),
                Interlocked.Read(ref _peakPendingBytes),
                Interlocked.Read(ref _peakOutputBytes),
                _transfers.Peak);
        }
    }

    private async Task HandleConnectionAsync(SocketConnection connection, CancellationToken shutdown)
    {
        var address = connection.RemoteEndPoint.Address;
        if (!_admission.TryAdmit(address, out var refusal))
        {
            await _admission.RefuseAsync(connection, refusal, shutdown);
            return;
        }

        var iscsi = new IscsiConnection(connection, _context!);
        _connections[connection.Id] = iscsi.Budget;
        try
        {
            await iscsi.RunAsync(shutdown);
        }
        finally
        {
            _connections.TryRemove(connection.Id, out _);
            NotePeaks(iscsi.Budget);
            _admission.Leave(address);
        }
    }

    private void NotePeaks(ConnectionBudget budget)
    {
        ConnectionBudget.RaisePeak(ref _peakPendingBytes, budget.PeakPendingBytes);
        ConnectionBudget.RaisePeak(ref _peakOutputBytes, budget.PeakOutputBytes);
        ConnectionBudget.RaisePeak(ref _peakPendingPdus, budget.PeakPendingPdus);
    }
}

/// <summary>
/// What a portal's connections hold now and the most any one connection ever held (per-connection peaks),
/// and the node's transfer memory now and at its peak.
/// </summary>
internal sealed record PortalUsage(
    int Connections,
    long Refused,
    int PendingPdus,
    long PendingBytes,
    long OutputBytes,
    long TransferBytes,
    int PeakPendingPdusPerConnection,
    long PeakPendingBytesPerConnection,
    long PeakOutputBytesPerConnection,
    long PeakTransferBytes);
