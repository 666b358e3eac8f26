using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using IscsiCluster.Iscsi.Protocol.Chap;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Protocol.Text;

namespace IscsiCluster.Iscsi.Tests.Infrastructure;

/// <summary>
/// A minimal iSCSI initiator for tests: a raw TCP connection that sends and receives PDUs
/// through the protocol codec, with helpers for the usual login and SCSI exchanges.
/// </summary>
internal sealed class TestInitiator : IAsyncDisposable
{
    public const string DefaultInitiatorName = "iqn.2026-11.io.iscsicluster.test:initiator";

    private static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(10);

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private PduReadOptions _readOptions = new() { MaxRecvDataSegmentLength = BasicHeaderSegment.MaxDataSegmentLength };
    private PduWriteOptions _writeOptions;

    private TestInitiator(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = PipeReader.Create(_stream);
    }

    public ulong Isid { get; set; } = 0x80_12_34_56_78_9A;

    public ushort Tsih { get; private set; }

    public uint CmdSn { get; set; } = 1;

    public uint ExpStatSn { get; set; }

    public uint NextTaskTag { get; set; } = 0x1000;

    /// <summary>Connects to <paramref name="endPoint"/>, from <paramref name="from"/> (another loopback address, say) when given.</summary>
    public static async Task<TestInitiator> ConnectAsync(IPEndPoint endPoint, IPAddress? from = null)
    {
        var client = from is null ? new TcpClient { NoDelay = true } : new TcpClient(new IPEndPoint(from, 0)) { NoDelay = true };
        await client.ConnectAsync(endPoint);
        return new TestInitiator(client);
    }

    /// <summary>Turns digests on for what follows (after a login that negotiated them).</summary>
    public void UseDigests(bool header, bool data)
    {
        _readOptions = _readOptions with { HeaderDigest = header, DataDigest = data };
        _writeOptions = new PduWriteOptions(header, data);
    }

    public async Task SendAsync(IscsiPdu pdu) => await SendRawAsync(PduWriter.ToArray(pdu, _writeOptions));

    public async Task SendRawAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>
    /// Sends what <paramref name="next"/> builds, PDU after PDU, for <paramref name="duration"/> or until the target
    /// stops taking them for good (the send then waits on TCP and is cancelled); returns how many were sent whole.
    /// The socket is never read meanwhile. With <paramref name="pace"/>, PDUs are sent in bursts of
    /// <paramref name="burst"/> that far apart (so numbered commands stay inside a window that moves).
    /// </summary>
    public async Task<int> FloodAsync(Func<int, IscsiPdu> next, TimeSpan duration, TimeSpan pace = default, int burst = 1)
    {
        using var stop = new CancellationTokenSource(duration);
        var sent = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await _stream.WriteAsync(PduWriter.ToArray(next(sent), _writeOptions), stop.Token);
                sent++;
                if (pace > TimeSpan.Zero && sent % burst == 0)
                {
                    await Task.Delay(pace, stop.Token);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException)
        {
            // Held back by TCP until the time was up, or the target closed the connection.
        }

        return sent;
    }

    /// <summary>Reads the next PDU; fails the test when none comes in time.</summary>
    public async Task<IscsiPdu> ReceiveAsync(TimeSpan? patience = null)
    {
        using var cancel = new CancellationTokenSource(patience ?? DefaultPatience);
        while (true)
        {
            var result = await _reader.ReadAsync(cancel.Token);
            var buffer = result.Buffer;
            var status = PduReader.TryReadPdu(ref buffer, _readOptions, out var pdu, out var error);
            if (status == PduReadStatus.Complete)
            {
                _reader.AdvanceTo(buffer.Start);
                TrackStatSn(pdu!);
                return pdu!;
            }

            if (status == PduReadStatus.Error)
            {
                throw new InvalidDataException($"the target sent a bad PDU: {error!.Message}");
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new EndOfStreamException("the target closed the connection");
            }
        }
    }

    /// <summary>Keeps ExpStatSN one past the last status received (RFC 7143 4.2.2.2).</summary>
    private void TrackStatSn(IscsiPdu pdu)
    {
        uint? statSn = pdu switch
        {
            ScsiResponsePdu response => response.StatSN,
            ScsiDataInPdu { HasStatus: true } dataIn => dataIn.StatSN,
            NopInPdu nopIn when nopIn.InitiatorTaskTag != BasicHeaderSegment.ReservedTag => nopIn.StatSN,
            TaskManagementResponsePdu response => response.StatSN,
            TextResponsePdu response => response.StatSN,
            LogoutResponsePdu response => response.StatSN,
            RejectPdu reject => reject.StatSN,
            AsyncMessagePdu message => message.StatSN,
            _ => null,
        };
        if (statSn is { } value)
        {
            ExpStatSn = value + 1;
        }
    }

    public async Task<T> ReceiveAsync<T>(TimeSpan? patience = null)
        where T : IscsiPdu
    {
        var pdu = await ReceiveAsync(patience);
        return pdu as T ?? throw new InvalidDataException($"expected {typeof(T).Name}, got {pdu}");
    }

    /// <summary>Whether the target closes the connection (without sending anything else) within <paramref name="patience"/>.</summary>
    public async Task<bool> IsClosedByTargetAsync(TimeSpan patience)
    {
        using var cancel = new CancellationTokenSource(patience);
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(cancel.Token);
                _reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                if (result.IsCompleted)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Sends one Login Request and returns the response.</summary>
    public async Task<LoginResponsePdu> LoginStepAsync(LoginStage current, LoginStage next, bool transit, IEnumerable<TextKeyValue> keys, bool @continue = false)
    {
        await SendAsync(new LoginRequestPdu
        {
            Transit = transit,
            Continue = @continue,
            CurrentStage = current,
            NextStage = next,
            Isid = Isid,
            Tsih = Tsih,
            InitiatorTaskTag = NextTaskTag,
            ConnectionId = 1,
            CmdSN = CmdSn,
            ExpStatSN = ExpStatSn,
            Data = TextEncoder.Encode(keys),
        });
        var response = await ReceiveAsync<LoginResponsePdu>();
        if (response.Status == LoginStatus.Success)
        {
            ExpStatSn = response.StatSN + 1;
        }

        return response;
    }

    /// <summary>
    /// Logs in without authentication: security stage (AuthMethod=None), then operational
    /// stage with <paramref name="operational"/> keys, into full feature phase.
    /// </summary>
    public async Task<LoginResponsePdu> LoginAsync(string? targetName, IEnumerable<TextKeyValue>? operational = null, string initiatorName = DefaultInitiatorName, ushort tsih = 0)
    {
        Tsih = tsih;
        var security = await LoginStepAsync(LoginStage.SecurityNegotiation, LoginStage.LoginOperationalNegotiation, transit: true, [.. Identity(initiatorName, targetName), new("AuthMethod", "None")]);
        if (security.Status != LoginStatus.Success)
        {
            return security;
        }

        return await FinishLoginAsync(operational);
    }

    /// <summary>Logs in with CHAP as <paramref name="account"/>; with <paramref name="targetAccount"/> the target must authenticate too.</summary>
    public async Task<LoginResponsePdu> LoginWithChapAsync(string targetName, ChapAccount account, ChapAccount? targetAccount = null)
    {
        var offer = await LoginStepAsync(LoginStage.SecurityNegotiation, LoginStage.LoginOperationalNegotiation, transit: false, [.. Identity(DefaultInitiatorName, targetName), new("AuthMethod", "CHAP,None")]);
        if (offer.Status != LoginStatus.Success)
        {
            return offer;
        }

        var challenge = await LoginStepAsync(LoginStage.SecurityNegotiation, LoginStage.LoginOperationalNegotiation, transit: false, [new("CHAP_A", "5")]);
        if (challenge.Status != LoginStatus.Success)
        {
            return challenge;
        }

        var keys = Parse(challenge.Data);
        var identifier = byte.Parse(keys["CHAP_I"], System.Globalization.CultureInfo.InvariantCulture);
        TextValues.TryParseBinary(keys["CHAP_C"], out var targetChallenge);
        var answer = new List<TextKeyValue>
        {
            new("CHAP_N", account.UserName),
            new("CHAP_R", TextValues.FormatHex(ChapAuthenticator.ComputeResponse(identifier, account.Secret, targetChallenge!))),
        };
        var mutualChallenge = new byte[16];
        const byte MutualIdentifier = 77;
        if (targetAccount is not null)
        {
            Random.Shared.NextBytes(mutualChallenge);
            answer.Add(new("CHAP_I", MutualIdentifier.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            answer.Add(new("CHAP_C", TextValues.FormatHex(mutualChallenge)));
        }

        var verdict = await LoginStepAsync(LoginStage.SecurityNegotiation, LoginStage.LoginOperationalNegotiation, transit: true, answer);
        if (verdict.Status != LoginStatus.Success)
        {
            return verdict;
        }

        if (targetAccount is not null)
        {
            var proof = Parse(verdict.Data);
            TextValues.TryParseBinary(proof["CHAP_R"], out var targetResponse);
            var expected = ChapAuthenticator.ComputeResponse(MutualIdentifier, targetAccount.Secret, mutualChallenge);
            if (proof["CHAP_N"] != targetAccount.UserName || !expected.AsSpan().SequenceEqual(targetResponse))
            {
                throw new InvalidDataException("the target's mutual CHAP answer is wrong");
            }
        }

        return await FinishLoginAsync(null);
    }

    private async Task<LoginResponsePdu> FinishLoginAsync(IEnumerable<TextKeyValue>? operational)
    {
        var final = await LoginStepAsync(LoginStage.LoginOperationalNegotiation, LoginStage.FullFeaturePhase, transit: true, operational ?? DefaultOperationalKeys);
        if (final.Status == LoginStatus.Success && final.Transit)
        {
            Tsih = final.Tsih;
            CmdSn = final.ExpCmdSN;
        }

        return final;
    }

    public static IReadOnlyList<TextKeyValue> DefaultOperationalKeys { get; } =
    [
        new("HeaderDigest", "None"),
        new("DataDigest", "None"),
        new("ImmediateData", "Yes"),
        new("InitialR2T", "No"),
        new("MaxRecvDataSegmentLength", "65536"),
        new("MaxBurstLength", "262144"),
        new("FirstBurstLength", "65536"),
        new("ErrorRecoveryLevel", "0"),
        new("MaxConnections", "1"),
    ];

    private static IEnumerable<TextKeyValue> Identity(string initiatorName, string? targetName)
    {
        yield return new("InitiatorName", initiatorName);
        if (targetName is null)
        {
            yield return new("SessionType", "Discovery");
        }
        else
        {
            yield return new("SessionType", "Normal");
            yield return new("TargetName", targetName);
        }
    }

    public static Dictionary<string, string> Parse(ReadOnlyMemory<byte> data)
    {
        if (!TextParser.TryParse(data.Span, out var pairs, out var error))
        {
            throw new InvalidDataException(error.Message);
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            result.TryAdd(pair.Key, pair.Value);
        }

        return result;
    }

    /// <summary>Builds a SCSI Command with the next task tag (and, unless immediate, the next CmdSN).</summary>
    public ScsiCommandPdu Command(byte[] cdb, bool read = false, bool write = false, uint expectedLength = 0, ReadOnlyMemory<byte> immediateData = default, bool final = true, bool immediate = false, ulong lun = 0)
    {
        var cdb16 = new byte[Math.Max(16, cdb.Length)];
        cdb.CopyTo(cdb16, 0);
        var command = new ScsiCommandPdu
        {
            Immediate = immediate,
            Final = final,
            Read = read,
            Write = write,
            Lun = lun,
            InitiatorTaskTag = NextTaskTag++,
            ExpectedDataTransferLength = expectedLength,
            CmdSN = CmdSn,
            ExpStatSN = ExpStatSn,
            Cdb = cdb16,
            Data = immediateData,
        };
        if (!immediate)
        {
            CmdSn++;
        }

        return command;
    }

    public static byte[] Read10(uint lba, ushort blocks)
    {
        var cdb = new byte[10];
        cdb[0] = 0x28;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(2), lba);
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(7), blocks);
        return cdb;
    }

    public static byte[] Write10(uint lba, ushort blocks)
    {
        var cdb = Read10(lba, blocks);
        cdb[0] = 0x2A;
        return cdb;
    }

    public static byte[] TestUnitReady() => new byte[6];

    /// <summary>Collects the Data-In PDUs and status of a read; returns the data and the PDU that carried the status.</summary>
    public async Task<(byte[] Data, IscsiPdu Status, int DataPdus)> ReceiveReadAsync(int expectedLength)
    {
        var data = new byte[expectedLength];
        var pdus = 0;
        while (true)
        {
            var pdu = await ReceiveAsync();
            switch (pdu)
            {
                case ScsiDataInPdu dataIn:
                    dataIn.Data.Span.CopyTo(data.AsSpan((int)dataIn.BufferOffset));
                    pdus++;
                    if (dataIn.HasStatus)
                    {
                        return (data, dataIn, pdus);
                    }

                    break;
                case ScsiResponsePdu response:
                    return (data, response, pdus);
                default:
                    throw new InvalidDataException($"unexpected {pdu} during a read");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
