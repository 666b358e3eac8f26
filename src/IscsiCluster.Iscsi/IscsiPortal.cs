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
    }

    /// <summary>The address and port the portal listens on (the chosen port when the settings ask for port 0).</summary>
    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>Starts listening; returns once connections are accepted.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _registry = _system.ActorOf(Props.Create(() => new SessionRegistry()));
        _context = new PortalContext(_settings, _settings.Negotiation.ToLimits(), _directory, _registry, _loggerFactory, new FailedLogins(_settings.FailedLogin));
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
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _listener.DisposeAsync();
    }

    private Task HandleConnectionAsync(SocketConnection connection, CancellationToken shutdown) =>
        new IscsiConnection(connection, _context!).RunAsync(shutdown);
}
