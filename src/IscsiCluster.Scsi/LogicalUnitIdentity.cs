namespace IscsiCluster.Scsi;

/// <summary>
/// What a logical unit says about itself in INQUIRY, the same on every node and path
/// for the LUN's whole life (ARCHITECTURE "Identity").
/// </summary>
/// <param name="UnitId">The LUN's cluster-wide id; the NAA designator is derived from it alone (below 2^60).</param>
/// <param name="VendorId">T10 VENDOR IDENTIFICATION, at most 8 printable ASCII characters (e.g. "IscsiClu").</param>
/// <param name="ProductId">PRODUCT IDENTIFICATION, at most 16 printable ASCII characters.</param>
/// <param name="Revision">PRODUCT REVISION LEVEL, at most 4 printable ASCII characters.</param>
/// <param name="SerialNumber">The unit serial number of VPD page 80h, 1 to 251 printable ASCII characters.</param>
public sealed record LogicalUnitIdentity(ulong UnitId, string VendorId, string ProductId, string Revision, string SerialNumber)
{
    /// <summary>One past the largest <see cref="UnitId"/>: NAA 3h carries 60 bits.</summary>
    public const ulong UnitIdLimit = 1UL << 60;

    /// <summary>Throws <see cref="ArgumentException"/> when a field does not fit its INQUIRY field.</summary>
    public void Validate()
    {
        if (UnitId >= UnitIdLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(UnitId), UnitId, "The unit id must be below 2^60 (NAA 3h has 60 bits).");
        }

        CheckAscii(VendorId, 8, nameof(VendorId), allowEmpty: false);
        CheckAscii(ProductId, 16, nameof(ProductId), allowEmpty: false);
        CheckAscii(Revision, 4, nameof(Revision), allowEmpty: true);
        CheckAscii(SerialNumber, 251, nameof(SerialNumber), allowEmpty: false);
    }

    private static void CheckAscii(string value, int maxLength, string name, bool allowEmpty)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.Length > maxLength || (!allowEmpty && value.Length == 0))
        {
            throw new ArgumentException($"{name} must be {(allowEmpty ? 0 : 1)} to {maxLength} characters long: '{value}'.", name);
        }

        // SPC-4 4.4.1: ASCII data fields hold codes 20h to 7Eh.
        if (value.Any(c => c is < ' ' or > '~'))
        {
            throw new ArgumentException($"{name} must be printable ASCII: '{value}'.", name);
        }
    }
}
