using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Sbc;

/// <summary>Finds the first differing byte for MISCOMPARE sense (SBC-3 5.2, 5.36).</summary>
internal static class Miscompare
{
    /// <summary>
    /// Compares <paramref name="expected"/> with <paramref name="actual"/>; on a difference
    /// the problem is MISCOMPARE DURING VERIFY OPERATION with INFORMATION set to the offset
    /// of the first differing byte, counted from <paramref name="baseOffset"/> in the data-out buffer.
    /// </summary>
    public static bool TryFind(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, long baseOffset, out SenseProblem problem)
    {
        var index = expected.CommonPrefixLength(actual);
        if (index == expected.Length)
        {
            problem = default;
            return false;
        }

        problem = new SenseProblem(SenseReason.MiscompareDuringVerify, null, (ulong)(baseOffset + index));
        return true;
    }
}
