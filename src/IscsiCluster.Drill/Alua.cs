using System.Buffers.Binary;

namespace IscsiCluster.Drill;

/// <summary>
/// What a multipath initiator reads to rank its paths: the target port group of a path (VPD page 0x83, SPC-4 7.8.6) and
/// that group's asymmetric access state (REPORT TARGET PORT GROUPS, SPC-4 6.36), turned into multipath-tools' alua
/// priorities.
/// </summary>
internal static class Alua
{
    /// <summary>Active/optimized: the owner's group.</summary>
    public const int OptimizedPriority = 50;

    /// <summary>Active/non-optimized: a portal that forwards to the owner.</summary>
    public const int NonOptimizedPriority = 10;

    /// <summary>Standby.</summary>
    public const int StandbyPriority = 1;

    /// <summary>The allocation length of <see cref="ReportTargetPortGroupsCdb"/>.</summary>
    public const int ReportLength = 1024;

    /// <summary>INQUIRY with EVPD for page 0x83, 256 bytes.</summary>
    public static byte[] DeviceIdentificationCdb => [0x12, 0x01, 0x83, 0x01, 0x00, 0x00];

    /// <summary>MAINTENANCE IN / REPORT TARGET PORT GROUPS, length-only descriptors, <see cref="ReportLength"/> bytes.</summary>
    public static byte[] ReportTargetPortGroupsCdb => [0xa3, 0x0a, 0, 0, 0, 0, 0, 0, ReportLength >> 8, ReportLength & 0xff, 0, 0];

    /// <summary>The target port group designator (association target port, type 5) of a VPD page 0x83; null when it has none.</summary>
    public static int? TargetPortGroupOf(ReadOnlySpan<byte> page)
    {
        if (page.Length < 4)
        {
            return null;
        }

        var end = Math.Min(page.Length, 4 + BinaryPrimitives.ReadUInt16BigEndian(page[2..]));
        for (var at = 4; at + 4 <= end; at += 4 + page[at + 3])
        {
            var association = (page[at + 1] >> 4) & 0x3;
            var type = page[at + 1] & 0xf;
            if (association == 1 && type == 5 && at + 8 <= end)
            {
                return BinaryPrimitives.ReadUInt16BigEndian(page[(at + 6)..]);
            }
        }

        return null;
    }

    /// <summary>
    /// The priority of <paramref name="group"/> in a REPORT TARGET PORT GROUPS answer: active/optimized 50,
    /// active/non-optimized 10, standby 1, any other state (unavailable, offline, transitioning) or a group missing 0.
    /// </summary>
    public static int PriorityOf(ReadOnlySpan<byte> answer, int group)
    {
        if (answer.Length < 4)
        {
            return 0;
        }

        var end = (int)Math.Min(answer.Length, 4L + BinaryPrimitives.ReadUInt32BigEndian(answer));
        for (var at = 4; at + 8 <= end; at += 8 + 4 * answer[at + 7])
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(answer[(at + 2)..]) == group)
            {
                return (answer[at] & 0xf) switch
                {
                    0 => OptimizedPriority,
                    1 => NonOptimizedPriority,
                    2 => StandbyPriority,
                    _ => 0,
                };
            }
        }

        return 0;
    }
}
