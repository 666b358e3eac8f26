using System.Diagnostics;
using System.Net;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using IscsiCluster.Scsi.Sam;

namespace IscsiCluster.Node.Tests.Support;

/// <summary>
/// A well-behaved initiator beside a hostile one: logged in to LUN 1 of the test target through the raw-PDU
/// test initiator, it writes a few blocks and reads them back, and says how long that took.
/// </summary>
internal sealed class HealthySession : IAsyncDisposable
{
    public const int BlockSize = 512;
    public const ulong Lun1 = 1UL << 48;

    private readonly TestInitiator _initiator;

    private HealthySession(TestInitiator initiator) => _initiator = initiator;

    public static async Task<HealthySession> OpenAsync(IPEndPoint portal, ulong isid, TimeSpan patience)
    {
        var initiator = await TestInitiator.ConnectAsync(portal);
        initiator.Isid = isid;
        var login = await initiator.LoginAsync(TestNode.TargetName, initiatorName: "iqn.2026-12.io.iscsicluster.test:healthy");
        if (login.Status != LoginStatus.Success)
        {
            throw new InvalidOperationException($"the healthy session could not log in: {login.Status}");
        }

        // The first commands of a new nexus may meet unit attentions (power on, reset): TEST UNIT READY takes them.
        for (var attempt = 0; attempt < 8; attempt++)
        {
            await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady(), lun: Lun1));
            if ((await initiator.ReceiveAsync<ScsiResponsePdu>(patience)).Status == (byte)ScsiStatus.Good)
            {
                break;
            }
        }

        return new HealthySession(initiator);
    }

    /// <summary>Writes <paramref name="blocks"/> blocks of a pattern at <paramref name="lba"/>; returns the pattern.</summary>
    public async Task<byte[]> WriteAsync(uint lba, ushort blocks, int seed, TimeSpan patience)
    {
        var pattern = new byte[blocks * BlockSize];
        new Random(seed).NextBytes(pattern);
        await _initiator.SendAsync(_initiator.Command(TestInitiator.Write10(lba, blocks), write: true, expectedLength: (uint)pattern.Length, immediateData: pattern, lun: Lun1));
        var status = (await _initiator.ReceiveAsync<ScsiResponsePdu>(patience)).Status;
        return status == (byte)ScsiStatus.Good ? pattern : throw new InvalidOperationException($"the healthy write ended with status 0x{status:x2}");
    }

    /// <summary>Reads <paramref name="blocks"/> blocks at <paramref name="lba"/>.</summary>
    public async Task<byte[]> ReadAsync(uint lba, ushort blocks)
    {
        var length = blocks * BlockSize;
        await _initiator.SendAsync(_initiator.Command(TestInitiator.Read10(lba, blocks), read: true, expectedLength: (uint)length, lun: Lun1));
        var (data, status, _) = await _initiator.ReceiveReadAsync(length);
        var code = status is ScsiResponsePdu response ? response.Status : ((ScsiDataInPdu)status).Status;
        return code == (byte)ScsiStatus.Good ? data : throw new InvalidOperationException($"the healthy read ended with status 0x{code:x2}");
    }

    /// <summary>Writes 8 blocks at <paramref name="lba"/>, reads them back, checks them; returns how long the round took.</summary>
    public async Task<TimeSpan> WriteAndReadBackAsync(uint lba, int seed, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        var pattern = await WriteAsync(lba, 8, seed, patience);
        var data = await ReadAsync(lba, 8);
        clock.Stop();
        return data.AsSpan().SequenceEqual(pattern) ? clock.Elapsed : throw new InvalidOperationException($"the healthy session read back other data at LBA {lba}");
    }

    public ValueTask DisposeAsync() => _initiator.DisposeAsync();
}
