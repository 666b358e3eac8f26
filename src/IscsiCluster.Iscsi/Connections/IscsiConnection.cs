using System.Buffers;
using System.IO.Pipelines;
using Akka.Actor;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Sessions;
using IscsiCluster.Network;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Iscsi.Connections;

/// <summary>
/// One iSCSI connection: the login phase (request by request, bounded by the login timeout),
/// then the full feature phase, where the read loop parses PDUs and Tells each to the session
/// actor while the <see cref="PduOutbox"/> writes what the session sends. The read loop keeps to
/// the connection's <see cref="ConnectionBudget"/>: it stops reading the socket while the session
/// has too many PDUs to handle or too many answers wait for the socket, and resumes once they drain.
/// </summary>
internal sealed class IscsiConnection
{
    // After the session asked to close, how long the initiator has to close its side before the
    // socket is aborted.
    private static readonly TimeSpan CloseLinger = TimeSpan.FromSeconds(2);

    private readonly SocketConnection _socket;
    private readonly PortalContext _portal;
    private readonly ILogger _logger;
    private readonly PduOutbox _outbox;
    private readonly RepeatedWarnings _warnings;

    public IscsiConnection(SocketConnection socket, PortalContext portal)
    {
        _socket = socket;
        _portal = portal;
        _logger = portal.LoggerFactory.CreateLogger<IscsiConnection>();
        Budget = new ConnectionBudget(portal.Settings.Limits);
        _outbox = new PduOutbox(socket, Budget, _logger);
        _warnings = new RepeatedWarnings(portal.Settings.RepeatedWarningInterval);
    }

    /// <summary>What the connection holds between its socket and its session.</summary>
    public ConnectionBudget Budget { get; }

    public async Task RunAsync(CancellationToken shutdown)
    {
        var login = new LoginPhase(_portal, _socket.RemoteEndPoint, _socket.LocalEndPoint, _outbox);
        bool loggedIn;
        using (var loginTimeout = CancellationTokenSource.CreateLinkedTokenSource(shutdown))
        {
            loginTimeout.CancelAfter(_portal.Settings.LoginTimeout);
            try
            {
                loggedIn = await LoginAsync(login, loginTimeout.Token);
            }
            catch (OperationCanceledException) when (loginTimeout.IsCancellationRequested)
            {
                if (!shutdown.IsCancellationRequested)
                {
                    _logger.LoginTimedOut(_socket.RemoteEndPoint, _portal.Settings.LoginTimeout);
                }

                loggedIn = false;
            }
            catch (AskTimeoutException)
            {
                _logger.ConnectionEnded(_socket.RemoteEndPoint, "the session registry did not answer during login");
                loggedIn = false;
            }
            catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                _logger.ConnectionEnded(_socket.RemoteEndPoint, $"connection failed during login: {exception.Message}");
                loggedIn = false;
            }
        }

        if (!loggedIn)
        {
            // A session may exist if the final response could not be written.
            login.Session?.Session.Tell(new ConnectionEnded(null));
            return;
        }

        var session = login.Session!.Session;
        var negotiated = login.Negotiated!;
        _outbox.Start(negotiated.ToWriteOptions());
        var reading = ReadLoopAsync(session, negotiated.ToReadOptions());
        if (await Task.WhenAny(reading, _outbox.Completion) != reading)
        {
            // The session closed the connection (logout, dropped initiator): the initiator has a
            // moment to close its side before the socket is aborted.
            await Task.WhenAny(reading, Task.Delay(CloseLinger, CancellationToken.None));
            _socket.Abort();
        }

        var error = await reading;
        foreach (var (kind, count, since) in _warnings.Drain())
        {
            _logger.WarningsSuppressed(_socket.RemoteEndPoint, count, kind, since);
        }

        session.Tell(new ConnectionEnded(error));
        _outbox.Close();
        await _outbox.Completion;
    }

    /// <summary>Runs the login dialogue; true once the connection is in full feature phase.</summary>
    private async Task<bool> LoginAsync(LoginPhase login, CancellationToken cancellationToken)
    {
        var input = _socket.Input;
        var options = new PduReadOptions();
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var status = PduReader.TryReadPdu(ref buffer, options, out var pdu, out var error);
            if (status == PduReadStatus.Incomplete)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    _logger.ConnectionEnded(_socket.RemoteEndPoint, "closed during login");
                    return false;
                }

                continue;
            }

            input.AdvanceTo(buffer.Start);
            if (status == PduReadStatus.Error)
            {
                // RFC 7143 6.3: a malformed Login Request ends the login with an initiator error.
                _logger.ConnectionError(_socket.RemoteEndPoint, error!.Kind, error.Message);
                if (error.Opcode == IscsiOpcode.LoginRequest)
                {
                    PduWriter.Write(_socket.Output, login.Refuse(error.InitiatorTaskTag), default);
                    await _socket.Output.FlushAsync(cancellationToken);
                }

                return false;
            }

            if (pdu is not LoginRequestPdu request)
            {
                // RFC 7143 6.1: nothing but Login Requests before full feature phase.
                _logger.UnexpectedLoginPdu(_socket.RemoteEndPoint, pdu!.Opcode);
                return false;
            }

            var step = await login.HandleAsync(request, cancellationToken);
            await HoldBackFailureAsync(step, cancellationToken);
            PduWriter.Write(_socket.Output, step.Response, default);
            await _socket.Output.FlushAsync(cancellationToken);
            switch (step.Outcome)
            {
                case LoginOutcome.Failed:
                    return false;
                case LoginOutcome.Completed:
                    return true;
            }
        }
    }

    /// <summary>
    /// A login that failed for a wrong secret or a refused initiator is answered after the delay
    /// the portal's failure count for this address asks for (awaited, so no thread waits); a
    /// login that succeeded clears the count.
    /// </summary>
    private async Task HoldBackFailureAsync(LoginStep step, CancellationToken cancellationToken)
    {
        var address = _socket.RemoteEndPoint.Address;
        if (step.Outcome == LoginOutcome.Completed)
        {
            _portal.FailedLogins.Succeeded(address);
            return;
        }

        if (step.Outcome != LoginOutcome.Failed
            || step.Response.Status is not (LoginStatus.AuthenticationFailure or LoginStatus.AuthorizationFailure))
        {
            return;
        }

        var delay = _portal.FailedLogins.Failed(address);
        if (delay > TimeSpan.Zero)
        {
            _logger.LoginFailureDelayed(_socket.RemoteEndPoint, delay);
            await Task.Delay(delay, cancellationToken);
        }
    }

    /// <summary>Parses PDUs and Tells them to the session until the connection ends; returns the error that ended it, if any.</summary>
    private async Task<Exception?> ReadLoopAsync(IActorRef session, PduReadOptions options)
    {
        var input = _socket.Input;
        try
        {
            while (true)
            {
                if (!Budget.HasRoom)
                {
                    // Nothing more is read until the session has caught up: TCP holds the initiator back.
                    await Budget.WaitForRoomAsync(_socket.Closed);
                }

                var result = await input.ReadAsync();
                var buffer = result.Buffer;
                System.Net.ProtocolViolationException? fatal;
                bool stoppedForRoom;
                using (ThreadBatch.Enter())
                {
                    // The session handles what was read on this thread, once the whole read is parsed.
                    fatal = Drain(session, ref buffer, options, out stoppedForRoom);
                }

                if (stoppedForRoom)
                {
                    // Whole PDUs may remain in the buffer: leave them unexamined, so the next read
                    // returns them at once instead of waiting for more bytes.
                    input.AdvanceTo(buffer.Start);
                    continue;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (fatal is not null)
                {
                    return fatal;
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    return null;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            return _socket.Closed.IsCancellationRequested ? null : exception;
        }
        catch (OperationCanceledException) when (_socket.Closed.IsCancellationRequested)
        {
            // Closed while waiting for the session to catch up.
            return null;
        }
    }

    private System.Net.ProtocolViolationException? Drain(IActorRef session, ref ReadOnlySequence<byte> buffer, in PduReadOptions options, out bool stoppedForRoom)
    {
        stoppedForRoom = false;
        while (true)
        {
            if (!Budget.HasRoom)
            {
                stoppedForRoom = true;
                return null;
            }

            switch (PduReader.TryReadPdu(ref buffer, options, out var pdu, out var error))
            {
                case PduReadStatus.Incomplete:
                    return null;
                case PduReadStatus.Complete:
                    Budget.Read(ConnectionBudget.CostOf(pdu!));
                    session.Tell(pdu!);
                    break;
                default:
                    // Rejects go through the session, which owns StatSN.
                    session.Tell(error!);
                    if (error!.ConnectionMustClose)
                    {
                        _logger.ConnectionError(_socket.RemoteEndPoint, error.Kind, error.Message);
                        return new System.Net.ProtocolViolationException(error.Message);
                    }

                    if (_warnings.ShouldLog($"PDU rejected: {error.Kind}", out var suppressed, out var since))
                    {
                        if (suppressed > 0)
                        {
                            _logger.WarningsSuppressed(_socket.RemoteEndPoint, suppressed, $"PDU rejected: {error.Kind}", since);
                        }

                        _logger.PduRejected(_socket.RemoteEndPoint, error.Kind, error.Message);
                    }

                    break;
            }
        }
    }
}
