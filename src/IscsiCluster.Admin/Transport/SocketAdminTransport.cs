using System.Net.Sockets;
using IscsiCluster.Admin.Contracts.Json;
using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.Transport;

/// <summary>The real transport: one connection per request to a Unix socket or a TCP endpoint, JSON lines both ways.</summary>
public sealed class SocketAdminTransport(AdminEndpoint endpoint) : IAdminTransport
{
    public async Task<AdmResponse> SendAsync(AdmRequest request, IProgress<AdmProgress>? progress, CancellationToken cancellationToken)
    {
        if (!endpoint.IsTcp && !File.Exists(endpoint.SocketPath))
        {
            return AdmResponse.Failure(AdmError.NodeUnreachable, $"there is no socket at {endpoint.SocketPath}");
        }

        using var socket = endpoint.IsTcp
            ? new Socket(SocketType.Stream, ProtocolType.Tcp)
            : new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            if (endpoint.IsTcp)
            {
                await socket.ConnectAsync(endpoint.Host!, endpoint.Port, cancellationToken);
            }
            else
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(endpoint.SocketPath!), cancellationToken);
            }
        }
        catch (SocketException exception)
        {
            return exception.SocketErrorCode == SocketError.AccessDenied
                ? AdmResponse.Failure(AdmError.PermissionDenied, endpoint.ToString())
                : AdmResponse.Failure(AdmError.NodeUnreachable, $"{endpoint}: {exception.Message}");
        }

        try
        {
            await using var stream = new BufferedStream(new NetworkStream(socket, ownsSocket: false));
            var sent = endpoint.IsTcp ? request with { Token = endpoint.Token } : request;
            await JsonLines.WriteLineAsync(stream, AdminJson.SerializeToUtf8(sent), cancellationToken);
            while (await JsonLines.ReadLineAsync(stream, JsonLines.MaxResponseBytes, cancellationToken) is { } line)
            {
                if (!AdminJson.TryDeserializeFrame(line, out var frame))
                {
                    return AdmResponse.Failure(AdmError.UnknownError, "the node sent a malformed response");
                }

                if (frame.Response is { } response)
                {
                    return response;
                }

                if (frame.Progress is { } step)
                {
                    progress?.Report(step);
                }
            }

            return AdmResponse.Failure(AdmError.NodeUnreachable, $"{endpoint}: the node closed the connection without answering");
        }
        catch (Exception exception) when (exception is IOException or SocketException or InvalidDataException)
        {
            return AdmResponse.Failure(AdmError.NodeUnreachable, $"{endpoint}: {exception.Message}");
        }
    }
}
