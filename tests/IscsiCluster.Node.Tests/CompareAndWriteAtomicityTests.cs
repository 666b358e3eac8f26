using System.Buffers.Binary;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using IscsiCluster.Node.Tests.Support;
using IscsiCluster.Scsi.Sam;

namespace IscsiCluster.Node.Tests;

/// <summary>
/// COMPARE AND WRITE is how VMware takes its on-disk locks (ATS): it must be atomic against every
/// other command to the LUN, through every session.
/// </summary>
public sealed class CompareAndWriteAtomicityTests
{
    private const int Block = 512;
    private const uint CounterLba = 100;
    private const int Sessions = 4;
    private const int IncrementsPerSession = 40;

    [Fact]
    public async Task ConcurrentCompareAndWriteIncrementsFromSeveralSessionsLoseNoUpdate()
    {
        await using var node = await TestNode.StartAsync();

        var workers = Enumerable.Range(0, Sessions).Select(i => IncrementAsync(node, isid: 0x80_00_00_00_10_00UL + (ulong)i));
        var miscompares = (await Task.WhenAll(workers)).Sum();

        await using var reader = await LoggedInAsync(node, isid: 0x80_00_00_00_20_00UL);
        var final = BinaryPrimitives.ReadUInt64LittleEndian(await ReadCounterBlockAsync(reader));
        Assert.Equal((ulong)(Sessions * IncrementsPerSession), final);
        // With four sessions racing on one block, some compares must have lost: the test exercised contention.
        Assert.True(miscompares > 0, "no COMPARE AND WRITE ever miscompared: the sessions did not race");
    }

    /// <summary>Reads the counter and swaps in counter + 1 until it has succeeded enough times; returns the miscompares.</summary>
    private static async Task<int> IncrementAsync(TestNode node, ulong isid)
    {
        await using var initiator = await LoggedInAsync(node, isid);
        var successes = 0;
        var miscompares = 0;
        while (successes < IncrementsPerSession)
        {
            var current = await ReadCounterBlockAsync(initiator);
            var next = (byte[])current.Clone();
            BinaryPrimitives.WriteUInt64LittleEndian(next, BinaryPrimitives.ReadUInt64LittleEndian(current) + 1);

            // SBC-3 5.2: COMPARE AND WRITE(16 bytes CDB, opcode 89h), NUMBER OF LOGICAL BLOCKS in byte 13;
            // the data-out buffer is the verify instance followed by the write instance.
            var cdb = new byte[16];
            cdb[0] = 0x89;
            BinaryPrimitives.WriteUInt64BigEndian(cdb.AsSpan(2), CounterLba);
            cdb[13] = 1;
            var data = new byte[2 * Block];
            current.CopyTo(data, 0);
            next.CopyTo(data, Block);
            await initiator.SendAsync(initiator.Command(cdb, write: true, expectedLength: (uint)data.Length, immediateData: data, lun: LunField(1)));
            var response = await ReceiveResponseAsync(initiator);
            if (response.Status == (byte)ScsiStatus.Good)
            {
                successes++;
            }
            else
            {
                // Only a MISCOMPARE (sense key Eh) is an acceptable failure.
                Assert.Equal((byte)ScsiStatus.CheckCondition, response.Status);
                Assert.Equal(0x0E, response.Data.Span[2 + 2] & 0x0F);
                miscompares++;
            }
        }

        return miscompares;
    }

    private static async Task<byte[]> ReadCounterBlockAsync(TestInitiator initiator)
    {
        var cdb = TestInitiator.Read10(CounterLba, 1);
        await initiator.SendAsync(initiator.Command(cdb, read: true, expectedLength: Block, lun: LunField(1)));
        var (data, _, _) = await initiator.ReceiveReadAsync(Block);
        return data;
    }

    private static async Task<ScsiResponsePdu> ReceiveResponseAsync(TestInitiator initiator)
    {
        while (true)
        {
            var pdu = await initiator.ReceiveAsync();
            if (pdu is ScsiResponsePdu response)
            {
                return response;
            }
        }
    }

    private static async Task<TestInitiator> LoggedInAsync(TestNode node, ulong isid)
    {
        var initiator = await TestInitiator.ConnectAsync(node.Portal);
        initiator.Isid = isid;
        var login = await initiator.LoginAsync(TestNode.TargetName);
        Assert.Equal(LoginStatus.Success, login.Status);

        // A new nexus first owes a unit attention: take it with TEST UNIT READY.
        await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady(), lun: LunField(1)));
        await ReceiveResponseAsync(initiator);
        return initiator;
    }

    /// <summary>SAM-5 peripheral device addressing of a LUN below 256: the number in byte 1 of the 8-byte field.</summary>
    private static ulong LunField(byte lun) => (ulong)lun << 48;
}
