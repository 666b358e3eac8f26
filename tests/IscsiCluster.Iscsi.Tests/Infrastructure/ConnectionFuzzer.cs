using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Protocol.Text;

namespace IscsiCluster.Iscsi.Tests.Infrastructure;

/// <summary>What a fuzzer aims at: a portal, a target on it and one of its LUNs (as the LUN field of a PDU).</summary>
internal sealed record FuzzTarget(IPEndPoint EndPoint, string TargetName, ulong Lun, int BlockSize, long BlockCount);

/// <summary>What a fuzzing run did: PDUs sent, connections used, and what the target sent that no initiator can read.</summary>
internal sealed record FuzzRun(long Sent, long Connections, IReadOnlyList<string> TargetFaults);

/// <summary>
/// One connection's worth of live-portal fuzzing, all drawn from one Random: real login and full-feature PDUs
/// (login with keys, text, NOP-Out, READ and WRITE with data, Data-Out, task management, logout, SNACK),
/// mutated in their bytes and fields. <see cref="RunManyAsync"/> runs connections of it from a few workers.
/// </summary>
internal sealed class ConnectionFuzzer(FuzzTarget target, Random random, uint id)
{
    /// <summary>
    /// Fuzzes <paramref name="target"/> from <paramref name="workers"/> workers at once, connection after
    /// connection, until <paramref name="budget"/> PDUs have been sent. Every connection draws from a Random
    /// seeded from <paramref name="seed"/>, so a failure replays.
    /// </summary>
    public static async Task<FuzzRun> RunManyAsync(FuzzTarget target, int seed, long budget, int workers)
    {
        var sent = 0L;
        var connections = 0L;
        var targetFaults = new ConcurrentQueue<string>();
        var tasks = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var random = new Random(HashCode.Combine(seed, worker));
            var connection = 0;
            while (Interlocked.Read(ref sent) < budget)
            {
                var connectionSeed = random.Next();
                var fuzzer = new ConnectionFuzzer(target, new Random(connectionSeed), (uint)((worker << 24) | connection++));
                try
                {
                    Interlocked.Add(ref sent, await fuzzer.RunAsync());
                }
                catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
                {
                    // The target closed the connection: that is an answer, not a fault.
                }

                if (fuzzer.TargetFault is { } fault)
                {
                    targetFaults.Enqueue($"worker {worker} connection seed {connectionSeed}: {fault}");
                }

                Interlocked.Increment(ref connections);
            }
        })).ToArray();
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"seed={seed}: a fuzzing connection failed: {e.Message}", e);
        }

        return new FuzzRun(sent, connections, [.. targetFaults]);
    }

    /// <summary>An integer from the environment (ISCSI_CLUSTER_FUZZ_SEED, ISCSI_CLUSTER_FUZZ_PDUS), or null.</summary>
    public static int? ReadInt(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private uint _cmdSn;
    private uint _tag = 1;
    private PduWriteOptions _write;

    /// <summary>Set when the target sent bytes that are not a valid PDU.</summary>
    public string? TargetFault { get; private set; }

    /// <summary>Runs the connection; returns how many PDUs it sent.</summary>
    public async Task<int> RunAsync()
    {
        await using var initiator = await TestInitiator.ConnectAsync(target.EndPoint);
        initiator.Isid = 0x80_00_00_00_00_00UL | id;
        var plan = random.Next(10);
        if (plan < 3)
        {
            return await FuzzLoginAsync(initiator);
        }

        var discovery = plan == 3;
        var digests = random.Next(4) == 0;
        IReadOnlyList<TextKeyValue> keys = digests
            ? [.. TestInitiator.DefaultOperationalKeys.Where(k => k.Key is not ("HeaderDigest" or "DataDigest")), new("HeaderDigest", random.Next(2) == 0 ? "CRC32C" : "None"), new("DataDigest", "CRC32C")]
            : TestInitiator.DefaultOperationalKeys;
        var login = await initiator.LoginAsync(discovery ? null : target.TargetName, keys);
        if (login.Status != LoginStatus.Success)
        {
            return 3;
        }

        var answer = TestInitiator.Parse(login.Data);
        var headerDigest = answer.GetValueOrDefault("HeaderDigest") == "CRC32C";
        var dataDigest = answer.GetValueOrDefault("DataDigest") == "CRC32C";
        initiator.UseDigests(headerDigest, dataDigest);
        _write = new PduWriteOptions(headerDigest, dataDigest);
        _cmdSn = initiator.CmdSn;
        var draining = DrainAsync(initiator);
        var count = random.Next(4) == 0 ? random.Next(1, 8) : random.Next(50, 400);
        var sent = 3;
        for (var i = 0; i < count; i++)
        {
            var bytes = Mutate(PduWriter.ToArray(FullFeaturePdu(discovery), _write));
            await initiator.SendRawAsync(bytes);
            sent++;
            if (bytes.Length < BasicHeaderSegment.Length && random.Next(2) == 0)
            {
                break;
            }
        }

        await Task.WhenAny(draining, Task.Delay(random.Next(0, 30)));
        return sent;
    }

    /// <summary>Mutated Login Requests, valid ones among them, before any login completed.</summary>
    private async Task<int> FuzzLoginAsync(TestInitiator initiator)
    {
        var draining = DrainAsync(initiator);
        var count = random.Next(1, 6);
        for (var i = 0; i < count; i++)
        {
            var stage = (LoginStage)random.Next(4);
            var request = new LoginRequestPdu
            {
                Transit = random.Next(2) == 0,
                Continue = random.Next(5) == 0,
                CurrentStage = stage,
                NextStage = (LoginStage)random.Next(4),
                Isid = initiator.Isid,
                Tsih = (ushort)(random.Next(4) == 0 ? random.Next(ushort.MaxValue) : 0),
                InitiatorTaskTag = _tag++,
                ConnectionId = 1,
                CmdSN = _cmdSn,
                Data = LoginText(),
            };
            await initiator.SendRawAsync(Mutate(PduWriter.ToArray(request, default)));
        }

        await Task.WhenAny(draining, Task.Delay(random.Next(0, 20)));
        return count;
    }

    private byte[] LoginText()
    {
        var keys = new List<TextKeyValue>();
        if (random.Next(4) != 0)
        {
            keys.Add(new("InitiatorName", random.Next(6) == 0 ? Garbage(random.Next(0, 300)) : TestInitiator.DefaultInitiatorName));
        }

        if (random.Next(3) != 0)
        {
            keys.Add(new("SessionType", random.Next(3) == 0 ? "Discovery" : random.Next(5) == 0 ? Garbage(8) : "Normal"));
        }

        if (random.Next(3) != 0)
        {
            keys.Add(new("TargetName", random.Next(4) == 0 ? Garbage(random.Next(1, 40)) : target.TargetName));
        }

        string[] names = ["AuthMethod", "CHAP_A", "CHAP_N", "CHAP_R", "CHAP_I", "CHAP_C", "HeaderDigest", "DataDigest", "MaxRecvDataSegmentLength", "MaxBurstLength", "FirstBurstLength", "ImmediateData", "InitialR2T", "MaxOutstandingR2T", "ErrorRecoveryLevel", "MaxConnections", "DefaultTime2Wait", "X-vendor.key"];
        string[] values = ["None", "CHAP,None", "5", "0x00", "0", "1", "Yes", "No", "CRC32C", "4294967296", "-1", "", "Reject", "NotUnderstood", "Irrelevant", "0b" + new string('z', 3), "0x" + new string('f', 40)];
        var extra = random.Next(0, 12);
        for (var i = 0; i < extra; i++)
        {
            keys.Add(new(names[random.Next(names.Length)], random.Next(8) == 0 ? Garbage(random.Next(0, 600)) : values[random.Next(values.Length)]));
        }

        var text = TextEncoder.Encode(keys).ToArray();
        return random.Next(6) == 0 ? RandomBytes(random.Next(0, 2048)) : random.Next(6) == 0 ? text[..random.Next(text.Length + 1)] : text;
    }

    /// <summary>A full feature PDU of any kind, mostly well formed, with fields drawn near their valid values.</summary>
    private IscsiPdu FullFeaturePdu(bool discovery)
    {
        var tag = random.Next(8) == 0 ? (uint)random.Next() : _tag++;
        var cmdSn = random.Next(10) == 0 ? (uint)random.Next() : _cmdSn;
        switch (random.Next(discovery ? 4 : 11))
        {
            case 0:
                return new NopOutPdu { Immediate = random.Next(2) == 0, InitiatorTaskTag = random.Next(6) == 0 ? BasicHeaderSegment.ReservedTag : tag, TargetTransferTag = random.Next(6) == 0 ? (uint)random.Next() : BasicHeaderSegment.ReservedTag, CmdSN = NextCmdSn(cmdSn), Data = RandomBytes(random.Next(0, 1500)) };
            case 1:
                return new TextRequestPdu { Immediate = random.Next(3) == 0, Final = random.Next(4) != 0, Continue = random.Next(4) == 0, InitiatorTaskTag = tag, TargetTransferTag = random.Next(4) == 0 ? (uint)random.Next(4) : BasicHeaderSegment.ReservedTag, CmdSN = NextCmdSn(cmdSn), Data = TextData() };
            case 2:
                return new LogoutRequestPdu { Immediate = random.Next(2) == 0, Reason = (LogoutReason)random.Next(4), ConnectionId = 1, InitiatorTaskTag = tag, CmdSN = NextCmdSn(cmdSn) };
            case 3:
                return new SnackPdu { Type = (SnackType)random.Next(4), InitiatorTaskTag = tag, BegRun = (uint)random.Next(4), RunLength = (uint)random.Next(4) };
            case 4 or 5:
                return ReadCommand(tag, cmdSn);
            case 6 or 7:
                return WriteCommand(tag, cmdSn);
            case 8:
                return new ScsiDataOutPdu
                {
                    Final = random.Next(3) != 0,
                    InitiatorTaskTag = random.Next(3) == 0 ? tag : _tag - (uint)random.Next(1, 4),
                    TargetTransferTag = random.Next(2) == 0 ? BasicHeaderSegment.ReservedTag : (uint)random.Next(8),
                    DataSN = (uint)random.Next(4),
                    BufferOffset = (uint)(random.Next(0, 64) * target.BlockSize),
                    Data = RandomBytes(random.Next(0, 4) * target.BlockSize),
                };
            case 9:
                return new TaskManagementRequestPdu
                {
                    Immediate = random.Next(2) == 0,
                    Function = (IscsiCluster.Iscsi.Protocol.Pdus.TaskManagementFunction)random.Next(1, 16),
                    Lun = random.Next(4) == 0 ? (ulong)random.NextInt64() : target.Lun,
                    InitiatorTaskTag = tag,
                    ReferencedTaskTag = _tag - (uint)random.Next(0, 5),
                    CmdSN = NextCmdSn(cmdSn),
                    RefCmdSN = _cmdSn - (uint)random.Next(0, 5),
                };
            default:
                return OtherCommand(tag, cmdSn);
        }
    }

    private ScsiCommandPdu ReadCommand(uint tag, uint cmdSn)
    {
        var blocks = (ushort)random.Next(0, 65);
        var lba = (uint)(random.Next(8) == 0 ? random.Next() : random.Next(0, (int)target.BlockCount));
        var length = random.Next(6) == 0 ? (uint)random.Next(0, 1 << 20) : (uint)(blocks * target.BlockSize);
        return Command(TestInitiator.Read10(lba, blocks), tag, cmdSn, read: true, write: random.Next(10) == 0, length, default);
    }

    private ScsiCommandPdu WriteCommand(uint tag, uint cmdSn)
    {
        var blocks = (ushort)random.Next(0, 33);
        var lba = (uint)(random.Next(8) == 0 ? random.Next() : random.Next(0, (int)target.BlockCount));
        var length = random.Next(6) == 0 ? (uint)random.Next(0, 1 << 20) : (uint)(blocks * target.BlockSize);
        var immediate = random.Next(3) == 0 ? [] : RandomBytes((int)Math.Min(length, (uint)random.Next(0, 16) * target.BlockSize));
        return Command(TestInitiator.Write10(lba, blocks), tag, cmdSn, read: false, write: random.Next(10) != 0, length, immediate);
    }

    private ScsiCommandPdu OtherCommand(uint tag, uint cmdSn)
    {
        byte[][] cdbs =
        [
            TestInitiator.TestUnitReady(),
            [0x12, 0, 0, 0, 96, 0],                         // INQUIRY
            [0x12, 1, 0x83, 0, 255, 0],                      // INQUIRY VPD 0x83
            [0xA0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0],      // REPORT LUNS
            [0x1A, 0, 0x3F, 0, 255, 0],                      // MODE SENSE(6)
            [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0],               // READ CAPACITY(10)
            [0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0],               // SYNCHRONIZE CACHE(10)
            [0x5E, 0, 0, 0, 0, 0, 0, 0, 0, 0],               // PERSISTENT RESERVE IN
            RandomBytes(random.Next(1, 33)),
        ];
        var cdb = cdbs[random.Next(cdbs.Length)];
        return Command(cdb, tag, cmdSn, read: random.Next(2) == 0, write: random.Next(6) == 0, (uint)random.Next(0, 4096), random.Next(6) == 0 ? RandomBytes(random.Next(0, 512)) : default);
    }

    private ScsiCommandPdu Command(byte[] cdb, uint tag, uint cmdSn, bool read, bool write, uint length, ReadOnlyMemory<byte> data)
    {
        var immediate = random.Next(8) == 0;
        var cdb16 = new byte[Math.Max(16, cdb.Length)];
        cdb.CopyTo(cdb16, 0);
        return new ScsiCommandPdu
        {
            Immediate = immediate,
            Final = random.Next(5) != 0,
            Read = read,
            Write = write,
            Attribute = (ScsiTaskAttribute)random.Next(8),
            Lun = random.Next(10) == 0 ? (ulong)random.NextInt64() : target.Lun,
            InitiatorTaskTag = tag,
            ExpectedDataTransferLength = length,
            CmdSN = immediate ? _cmdSn : NextCmdSn(cmdSn),
            Cdb = cdb16,
            Data = data,
        };
    }

    private uint NextCmdSn(uint cmdSn)
    {
        if (cmdSn == _cmdSn)
        {
            _cmdSn++;
        }

        return cmdSn;
    }

    private byte[] TextData()
    {
        return random.Next(5) switch
        {
            0 => TextEncoder.Encode([new("SendTargets", "All")]).ToArray(),
            1 => TextEncoder.Encode([new("SendTargets", random.Next(2) == 0 ? target.TargetName : Garbage(random.Next(0, 200)))]).ToArray(),
            2 => RandomBytes(random.Next(0, 4096)),
            3 => Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, random.Next(1, 50)).Select(_ => $"{Garbage(random.Next(0, 70))}={Garbage(random.Next(0, 300))}\0"))),
            _ => TextEncoder.Encode([new("MaxRecvDataSegmentLength", "8192"), new("X-com.example.fuzz", Garbage(random.Next(0, 100)))]).ToArray(),
        };
    }

    /// <summary>Half the PDUs go out as they are; the rest get one to three mutations of their bytes or header fields.</summary>
    private byte[] Mutate(byte[] pdu)
    {
        if (random.Next(2) == 0)
        {
            return pdu;
        }

        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations; m++)
        {
            switch (random.Next(10))
            {
                case 0:
                    // Opcode (keeping or flipping the immediate bit).
                    pdu[0] = (byte)((pdu[0] & 0xC0) | random.Next(0x40));
                    break;
                case 1:
                    // Flags and opcode-specific bytes 1-3.
                    pdu[1 + random.Next(3)] = (byte)random.Next(256);
                    break;
                case 2:
                    // DataSegmentLength that disagrees with the data sent.
                    var length = random.Next(3) switch
                    {
                        0 => random.Next(0, 64),
                        1 => random.Next(0, 300_000),
                        _ => random.Next(0, 1 << 24),
                    };
                    pdu[5] = (byte)(length >> 16);
                    pdu[6] = (byte)(length >> 8);
                    pdu[7] = (byte)length;
                    break;
                case 3:
                    // TotalAHSLength.
                    pdu[4] = (byte)(random.Next(3) == 0 ? random.Next(256) : random.Next(0, 6));
                    break;
                case 4:
                    // Initiator Task Tag, CmdSN/StatSN fields.
                    BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(random.Next(2) == 0 ? 16 : 24), random.Next(3) == 0 ? uint.MaxValue : (uint)random.Next());
                    break;
                case 5:
                    // Bit flips anywhere.
                    for (var flips = random.Next(1, 8); flips > 0; flips--)
                    {
                        var index = random.Next(pdu.Length);
                        pdu[index] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 6:
                    // Truncation: the connection ends mid-PDU (or the next PDU fills the gap).
                    pdu = pdu[..random.Next(pdu.Length)];
                    break;
                case 7:
                    // Junk after the PDU.
                    pdu = [.. pdu, .. RandomBytes(random.Next(1, 200))];
                    break;
                case 8:
                    // Header bytes 8-47 (LUN, tags, CDB) at random.
                    if (pdu.Length >= BasicHeaderSegment.Length)
                    {
                        pdu[8 + random.Next(40)] = (byte)random.Next(256);
                    }

                    break;
                default:
                    // Data bytes.
                    if (pdu.Length > BasicHeaderSegment.Length)
                    {
                        pdu[BasicHeaderSegment.Length + random.Next(pdu.Length - BasicHeaderSegment.Length)] = (byte)random.Next(256);
                    }

                    break;
            }

            if (pdu.Length < BasicHeaderSegment.Length)
            {
                // Truncated below a header: nothing left to mutate by field.
                break;
            }
        }

        return pdu;
    }

    /// <summary>Reads and checks everything the target sends until it closes the connection.</summary>
    private Task DrainAsync(TestInitiator initiator) => Task.Run(async () =>
    {
        try
        {
            while (true)
            {
                await initiator.ReceiveAsync(TimeSpan.FromSeconds(60));
            }
        }
        catch (InvalidDataException e)
        {
            TargetFault = e.Message;
        }
        catch (Exception e) when (e is IOException or SocketException or EndOfStreamException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // Closed by either side.
        }
    });

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private string Garbage(int length)
    {
        const string Alphabet = "abcXYZ019=.:,-_ \u00e9\u4e2d\t\"<>#";
        return new string(Enumerable.Range(0, length).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
    }
}
