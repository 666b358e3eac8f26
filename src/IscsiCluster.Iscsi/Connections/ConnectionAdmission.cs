using System.Net;
using System.Net.Sockets;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Network;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Iscsi.Connections;

/// <summary>
/// Counts a portal's connections, in total and per initiator address, against
/// <c>limits.max-connections</c> and <c>limits.max-connections-per-initiator</c>, and refuses
/// those beyond. A refused connection gets what RFC 7143 gives an initiator for this: its first
/// Login Request is answered with status 0x0302, "out of resources" (11.13.5: the target has
/// insufficient session, connection, or other resources), which tells a person why and lets the
/// initiator retry later, instead of a silent close it would retry at once. Refusing costs only
/// a short wait for that one PDU; beyond <see cref="MaxRefusing"/> refusals under way a connection
/// is closed at once.
/// </summary>
internal sealed class ConnectionAdmission
{
    /// <summary>Refused connections answered at once; more are closed without an answer.</summary>
    internal const int MaxRefusing = 64;

    // How long a refused connection has to send its first Login Request (at most the login timeout).
    private static readonly TimeSpan RefusalPatience = TimeSpan.FromSeconds(5);

    // Refusals are logged at most once per interval, with how many there were.
    private const long RefusalLogIntervalMs = 1000;

    private readonly LimitSettings _limits;
    private readonly TimeSpan _loginTimeout;
    private readonly ILogger _logger;
    private readonly Dictionary<IPAddress, int> _byInitiator = [];
    private readonly Lock _lock = new();
    private int _total;
    private int _refusing;
    private long _refused;
    private long _refusedLogged;
    private long _lastRefusalLogAt = long.MinValue;

    public ConnectionAdmission(LimitSettings limits, TimeSpan loginTimeout, ILogger logger)
    {
        _limits = limits;
        _loginTimeout = loginTimeout;
        _logger = logger;
    }

    /// <summary>Connections admitted and not yet ended.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    /// <summary>Connections refused so far.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Admits a connection from <paramref name="address"/>, or says which limit it would pass.</summary>
    public bool TryAdmit(IPAddress address, out string refusal)
    {
        address = Normalize(address);
        lock (_lock)
        {
            if (_total >= _limits.MaxConnections)
            {
                refusal = $"the portal serves its limit of {_limits.MaxConnections} connections (limits.max-connections)";
                return false;
            }

            _byInitiator.TryGetValue(address, out var count);
            if (count >= _limits.MaxConnectionsPerInitiator)
            {
                refusal = $"{address} has its limit of {_limits.MaxConnectionsPerInitiator} connections (limits.max-connections-per-initiator)";
                return false;
            }

            _byInitiator[address] = count + 1;
            _total++;
            refusal = string.Empty;
            return true;
        }
    }

    /// <summary>An admitted connection from <paramref name="address"/> has ended.</summary>
    public void Leave(IPAddress address)
    {
        address = Normalize(address);
        lock (_lock)
        {
            _total--;
            if (_byInitiator.TryGetValue(address, out var count) && count > 1)
            {
                _byInitiator[address] = count - 1;
            }
            else
            {
                _byInitiator.Remove(address);
            }
        }
    }

    /// <summary>
    /// Answers a refused connection's first Login Request with 0x0302 "out of resources" and
    /// returns (the listener then closes the socket).
    /// </summary>
    public async Task RefuseAsync(SocketConnection connection, string refusal, CancellationToken shutdown)
    {
        Interlocked.Increment(ref _refused);
        LogRefusal(connection.RemoteEndPoint, refusal);
        if (Interlocked.Increment(ref _refusing) > MaxRefusing)
        {
            Interlocked.Decrement(ref _refusing);
            return;
        }

        try
        {
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(shutdown, connection.Closed);
            patience.CancelAfter(RefusalPatience < _loginTimeout ? RefusalPatience : _loginTimeout);
            if (await ReadFirstPduAsync(connection, patience.Token) is LoginRequestPdu request)
            {
                PduWriter.Write(connection.Output, new LoginResponsePdu
                {
                    CurrentStage = request.CurrentStage,
                    VersionMax = 0,
                    VersionActive = 0,
                    Isid = request.Isid,
                    InitiatorTaskTag = request.InitiatorTaskTag,
                    ExpCmdSN = request.CmdSN,
                    MaxCmdSN = request.CmdSN,
                    Status = LoginStatus.OutOfResources,
                }, default);
                await connection.Output.FlushAsync(patience.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Gone or silent: closing is all that is left.
        }
        finally
        {
            Interlocked.Decrement(ref _refusing);
        }
    }

    private static async Task<IscsiPdu?> ReadFirstPduAsync(SocketConnection connection, CancellationToken cancellationToken)
    {
        var input = connection.Input;
        var options = new PduReadOptions();
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var status = PduReader.TryReadPdu(ref buffer, options, out var pdu, out _);
            if (status == PduReadStatus.Incomplete)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return null;
                }

                continue;
            }

            input.AdvanceTo(buffer.Start);
            return pdu;
        }
    }

    private void LogRefusal(IPEndPoint remote, string refusal)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastRefusalLogAt);
        if (now - last < RefusalLogIntervalMs || Interlocked.CompareExchange(ref _lastRefusalLogAt, now, last) != last)
        {
            return;
        }

        var refused = Interlocked.Read(ref _refused);
        var since = refused - Interlocked.Exchange(ref _refusedLogged, refused);
        _logger.ConnectionRefused(remote, refusal, since);
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
