using System.Buffers.Binary;
using IscsiCluster.Scsi;
using IscsiCluster.Scsi.Sam;

namespace IscsiCluster.Scsi.Tests.Support;

/// <summary>Builders and assertions shared by the tests.</summary>
internal static class Harness
{
    public static readonly LogicalUnitIdentity Identity = new(0x0123_4567_89AB_CDEF, "IscsiClu", "Disk", "0.1", "SN000042");

    public static ITNexus Nexus(string initiator = "iqn.2026-01.test:init", ushort port = 1, string isid = "0x23d000000001") =>
        new(initiator, $"{initiator},i,{isid}", "iqn.2026-01.test:target", 7, port);

    public static readonly ITNexus DefaultNexus = Nexus();

    public static (DiskUnit Unit, MemoryBlockDevice Device) NewDisk(long blocks = 1024, int blockSize = 512, DiskOptions? options = null)
    {
        var device = new MemoryBlockDevice(blockSize, blocks);
        var unit = new DiskUnit(Identity, device, options);
        unit.SetInventory([0, 1]);
        return (unit, device);
    }

    /// <summary>Runs a command; <paramref name="dataInLength"/> defaults to plenty.</summary>
    public static CommandComplete Run(IScsiUnit unit, byte[] cdb, byte[]? dataOut = null, int dataInLength = 1 << 24, ITNexus? nexus = null) =>
        unit.ExecuteAsync(new ExecuteCommand(nexus ?? DefaultNexus, 1, 77, TaskAttribute.Simple, cdb, dataOut ?? [], dataInLength))
            .AsTask().GetAwaiter().GetResult();

    /// <summary>Sends TEST UNIT READY once so the nexus's power-on unit attention is out of the way.</summary>
    public static void ClearPowerOn(IScsiUnit unit, ITNexus? nexus = null)
    {
        var answer = Run(unit, Cdb6(0x00), nexus: nexus);
        AssertSense(answer, 0x6, 0x29, 0x00);
    }

    public static void AssertGood(CommandComplete answer)
    {
        Assert.True(answer.Status == ScsiStatus.Good, $"Expected GOOD, got {answer.Status} with sense {Convert.ToHexString(answer.Sense.Span)}");
        Assert.True(answer.Sense.IsEmpty);
    }

    public static void AssertSense(CommandComplete answer, byte key, byte asc, byte ascq)
    {
        Assert.Equal(ScsiStatus.CheckCondition, answer.Status);
        var sense = answer.Sense.Span;
        Assert.Equal(18, sense.Length);
        Assert.Equal(0x70, sense[0] & 0x7F);
        Assert.Equal((key, asc, ascq), ((byte)(sense[2] & 0x0F), sense[12], sense[13]));
        Assert.True(answer.DataIn.IsEmpty);
    }

    public static void AssertInvalidField(CommandComplete answer, int byteIndex, int? bit = null)
    {
        AssertSense(answer, 0x5, 0x24, 0x00);
        var sense = answer.Sense.Span;
        Assert.Equal(0xC0, sense[15] & 0xC0);                   // SKSV and C/D
        Assert.Equal(byteIndex, BinaryPrimitives.ReadUInt16BigEndian(sense[16..]));
        if (bit is { } b)
        {
            Assert.Equal(0x08 | b, sense[15] & 0x0F);
        }
    }

    public static void AssertLbaOutOfRange(CommandComplete answer) => AssertSense(answer, 0x5, 0x21, 0x00);

    public static void AssertInvalidOpcode(CommandComplete answer) => AssertSense(answer, 0x5, 0x20, 0x00);

    public static byte[] Cdb6(byte opCode, byte b1 = 0, byte b2 = 0, byte b3 = 0, byte b4 = 0, byte control = 0) =>
        [opCode, b1, b2, b3, b4, control];

    public static byte[] Inquiry(bool evpd = false, byte page = 0, ushort allocation = 255) =>
        [0x12, (byte)(evpd ? 1 : 0), page, (byte)(allocation >> 8), (byte)allocation, 0];

    public static byte[] Rw10(byte opCode, uint lba, ushort blocks, byte flags = 0)
    {
        var cdb = new byte[10];
        cdb[0] = opCode;
        cdb[1] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(2), lba);
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(7), blocks);
        return cdb;
    }

    public static byte[] Rw12(byte opCode, uint lba, uint blocks, byte flags = 0)
    {
        var cdb = new byte[12];
        cdb[0] = opCode;
        cdb[1] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(2), lba);
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(6), blocks);
        return cdb;
    }

    public static byte[] Rw16(byte opCode, ulong lba, uint blocks, byte flags = 0)
    {
        var cdb = new byte[16];
        cdb[0] = opCode;
        cdb[1] = flags;
        BinaryPrimitives.WriteUInt64BigEndian(cdb.AsSpan(2), lba);
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(10), blocks);
        return cdb;
    }

    public static byte[] Rw6(byte opCode, uint lba, byte blocks) =>
        [opCode, (byte)((lba >> 16) & 0x1F), (byte)(lba >> 8), (byte)lba, blocks, 0];

    public static byte[] Pattern(int length, byte seed)
    {
        var data = new byte[length];
        for (var i = 0; i < length; i++)
        {
            data[i] = (byte)(seed + (i * 7));
        }

        return data;
    }
}
