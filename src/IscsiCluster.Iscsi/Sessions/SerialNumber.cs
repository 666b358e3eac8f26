namespace IscsiCluster.Iscsi.Sessions;

/// <summary>
/// 32-bit serial number arithmetic (RFC 1982, used for CmdSN, StatSN and DataSN per
/// RFC 7143 4.2.2): comparisons wrap around 2^32.
/// </summary>
internal static class SerialNumber
{
    /// <summary>Whether <paramref name="a"/> comes strictly before <paramref name="b"/>.</summary>
    public static bool LessThan(uint a, uint b) => a != b && (int)(a - b) < 0;

    /// <summary>Whether <paramref name="a"/> comes before or is <paramref name="b"/>.</summary>
    public static bool LessThanOrEqual(uint a, uint b) => (int)(a - b) <= 0;

    /// <summary>Whether <paramref name="value"/> lies in the closed window [<paramref name="first"/>, <paramref name="last"/>].</summary>
    public static bool InWindow(uint value, uint first, uint last) =>
        LessThanOrEqual(first, value) && LessThanOrEqual(value, last);
}
