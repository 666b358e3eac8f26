using System.Buffers.Binary;
using System.Text;
using IscsiCluster.Scsi.Sam;

namespace IscsiCluster.Scsi.Tests.Support;

/// <summary>PERSISTENT RESERVE IN/OUT builders and readers (SPC-4 6.15, 6.16), written from the standard's tables.</summary>
internal static class Pr
{
    public const byte WriteExclusive = 1;
    public const byte ExclusiveAccess = 3;
    public const byte WriteExclusiveRegistrantsOnly = 5;
    public const byte ExclusiveAccessRegistrantsOnly = 6;
    public const byte WriteExclusiveAllRegistrants = 7;
    public const byte ExclusiveAccessAllRegistrants = 8;

    public const byte Register = 0, Reserve = 1, Release = 2, Clear = 3, Preempt = 4, PreemptAndAbort = 5, RegisterAndIgnore = 6, RegisterAndMove = 7;

    public const byte SpecIPt = 0x08, AllTgPt = 0x04, Aptpl = 0x01;

    public static readonly byte[] AllTypes =
        [WriteExclusive, ExclusiveAccess, WriteExclusiveRegistrantsOnly, ExclusiveAccessRegistrantsOnly, WriteExclusiveAllRegistrants, ExclusiveAccessAllRegistrants];

    public static readonly ITNexus A = Harness.Nexus("iqn.2026-01.test:a", isid: "0x23d000000001");
    public static readonly ITNexus B = Harness.Nexus("iqn.2026-01.test:b", isid: "0x23d000000002");
    public static readonly ITNexus C = Harness.Nexus("iqn.2026-01.test:c", isid: "0x23d000000003");

    public static byte[] InCdb(byte serviceAction, ushort allocation = 8192) =>
        [0x5E, serviceAction, 0, 0, 0, 0, 0, (byte)(allocation >> 8), (byte)allocation, 0];

    public static byte[] OutCdb(byte serviceAction, byte type = 0, uint listLength = 24, byte scope = 0)
    {
        var cdb = new byte[10];
        cdb[0] = 0x5F;
        cdb[1] = serviceAction;
        cdb[2] = (byte)((scope << 4) | type);
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(5), listLength);
        return cdb;
    }

    /// <summary>The basic 24-byte parameter list (SPC-4 6.16.3, table 217), plus what follows it.</summary>
    public static byte[] List(ulong key, ulong serviceActionKey = 0, byte flags = 0, byte[]? tail = null)
    {
        var list = new byte[24 + (tail?.Length ?? 0)];
        BinaryPrimitives.WriteUInt64BigEndian(list, key);
        BinaryPrimitives.WriteUInt64BigEndian(list.AsSpan(8), serviceActionKey);
        list[20] = flags;
        tail?.CopyTo(list, 24);
        return list;
    }

    /// <summary>An iSCSI TransportID, format 01b (SPC-4 7.6.4.6).</summary>
    public static byte[] TransportId(string initiatorPortName)
    {
        var name = Encoding.UTF8.GetBytes(initiatorPortName);
        var padded = Math.Max((name.Length + 1 + 3) / 4 * 4, 20);
        var id = new byte[4 + padded];
        id[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(id.AsSpan(2), (ushort)padded);
        name.CopyTo(id, 4);
        return id;
    }

    /// <summary>The SPEC_I_PT tail: TRANSPORTID PARAMETER DATA LENGTH then the TransportIDs.</summary>
    public static byte[] SpecIPtTail(params byte[][] transportIds)
    {
        var ids = transportIds.SelectMany(t => t).ToArray();
        var tail = new byte[4 + ids.Length];
        BinaryPrimitives.WriteUInt32BigEndian(tail, (uint)ids.Length);
        ids.CopyTo(tail, 4);
        return tail;
    }

    /// <summary>The REGISTER AND MOVE list (SPC-4 6.16.4, table 219).</summary>
    public static byte[] MoveList(ulong key, ulong serviceActionKey, ushort relativeTargetPort, byte[] transportId, bool unreg = false, bool aptpl = false)
    {
        var list = new byte[24 + transportId.Length];
        BinaryPrimitives.WriteUInt64BigEndian(list, key);
        BinaryPrimitives.WriteUInt64BigEndian(list.AsSpan(8), serviceActionKey);
        list[17] = (byte)((unreg ? 0x02 : 0) | (aptpl ? 0x01 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(list.AsSpan(18), relativeTargetPort);
        BinaryPrimitives.WriteUInt32BigEndian(list.AsSpan(20), (uint)transportId.Length);
        transportId.CopyTo(list, 24);
        return list;
    }

    public static CommandComplete Out(IScsiUnit unit, ITNexus nexus, byte serviceAction, byte[] list, byte type = 0) =>
        Harness.Run(unit, OutCdb(serviceAction, type, (uint)list.Length), list, nexus: nexus);

    public static void RegisterKey(IScsiUnit unit, ITNexus nexus, ulong key, byte flags = 0) =>
        Harness.AssertGood(Out(unit, nexus, RegisterAndIgnore, List(0, key, flags)));

    public static void ReserveAs(IScsiUnit unit, ITNexus nexus, ulong key, byte type) =>
        Harness.AssertGood(Out(unit, nexus, Reserve, List(key), type));

    public static void AssertConflict(CommandComplete answer)
    {
        Assert.True(answer.Status == ScsiStatus.ReservationConflict, $"Expected RESERVATION CONFLICT, got {answer.Status} {Convert.ToHexString(answer.Sense.Span)}");
        Assert.True(answer.Sense.IsEmpty);
        Assert.True(answer.DataIn.IsEmpty);
    }

    /// <summary>READ KEYS: (PRgeneration, keys).</summary>
    public static (uint Generation, List<ulong> Keys) ReadKeys(IScsiUnit unit, ITNexus nexus)
    {
        var answer = Harness.Run(unit, InCdb(0), nexus: nexus);
        Harness.AssertGood(answer);
        var data = answer.DataIn.Span;
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        Assert.Equal(data.Length - 8, length);
        var keys = new List<ulong>();
        for (var offset = 8; offset < data.Length; offset += 8)
        {
            keys.Add(BinaryPrimitives.ReadUInt64BigEndian(data[offset..]));
        }

        return (BinaryPrimitives.ReadUInt32BigEndian(data), keys);
    }

    /// <summary>Asserts READ KEYS answers <paramref name="generation"/> and exactly <paramref name="keys"/>, in order.</summary>
    public static void AssertKeys(IScsiUnit unit, ITNexus nexus, uint generation, params ulong[] keys)
    {
        var (actualGeneration, actualKeys) = ReadKeys(unit, nexus);
        Assert.Equal(generation, actualGeneration);
        Assert.Equal(keys, actualKeys);
    }

    /// <summary>READ RESERVATION: (key, type), or null with nothing reserved.</summary>
    public static (ulong Key, byte Type)? ReadReservation(IScsiUnit unit, ITNexus nexus)
    {
        var answer = Harness.Run(unit, InCdb(1), nexus: nexus);
        Harness.AssertGood(answer);
        var data = answer.DataIn.Span;
        var length = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        if (length == 0)
        {
            Assert.Equal(8, data.Length);
            return null;
        }

        Assert.Equal(16u, length);
        Assert.Equal(24, data.Length);
        return (BinaryPrimitives.ReadUInt64BigEndian(data[8..]), data[21]);
    }

    /// <summary>Sends TEST UNIT READY until GOOD, collecting the (ASC, ASCQ) of every unit attention reported.</summary>
    public static List<(byte Asc, byte Ascq)> DrainUnitAttentions(IScsiUnit unit, ITNexus nexus)
    {
        var seen = new List<(byte, byte)>();
        for (var i = 0; i < 10; i++)
        {
            var answer = Harness.Run(unit, Harness.Cdb6(0x00), nexus: nexus);
            if (answer.Status != ScsiStatus.CheckCondition)
            {
                return seen;
            }

            Assert.Equal(0x6, answer.Sense.Span[2] & 0x0F);
            seen.Add((answer.Sense.Span[12], answer.Sense.Span[13]));
        }

        throw new InvalidOperationException("The unit attentions never ended.");
    }
}
