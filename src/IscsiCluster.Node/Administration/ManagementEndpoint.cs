using System.Net;
using Akka.Actor;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Admin.Server;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Administration;

/// <summary>
/// The node's management endpoint: a Unix socket only root and the node's user may use, and
/// optionally a TCP endpoint that requires a token. Every request goes to the configuration actor.
/// </summary>
public sealed class ManagementEndpoint : IAsyncDisposable
{
    private readonly AdminServer _unix;
    private readonly AdminServer? _tcp;

    private ManagementEndpoint(string socketPath, AdminServer unix, AdminServer? tcp)
    {
        SocketPath = socketPath;
        _unix = unix;
        _tcp = tcp;
    }

    /// <summary>The Unix socket's path.</summary>
    public string SocketPath { get; }

    /// <summary>The TCP endpoint (its port is known even when configured as 0), or null when off.</summary>
    public IPEndPoint? TcpEndPoint => (IPEndPoint?)_tcp?.LocalEndPoint;

    public static async Task<ManagementEndpoint> StartAsync(AdminSettings settings, string socketPath, IActorRef configuration, ILogger logger)
    {
        AdminRequestHandler handler = (request, progress, cancellationToken) =>
            configuration.Ask<AdmResponse>(new ConfigurationActor.Apply(request, progress, cancellationToken), settings.RequestTimeout, cancellationToken);
        var unix = AdminServer.ListenUnix(socketPath, handler, logger);
        try
        {
            var tcp = settings.TcpEndPoint is { } endPoint ? AdminServer.ListenTcp(endPoint, settings.TcpToken!, handler, logger) : null;
            return new ManagementEndpoint(socketPath, unix, tcp);
        }
        catch
        {
            await unix.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops accepting requests, waits for those in flight, removes the socket file.</summary>
    public async ValueTask DisposeAsync()
    {
        await _unix.DisposeAsync();
        if (_tcp is not null)
        {
            await _tcp.DisposeAsync();
        }
    }
}
