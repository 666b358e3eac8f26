namespace IscsiCluster.Scsi.Sense;

/// <summary>A <see cref="SenseReason"/> with the details that go into the sense data.</summary>
/// <param name="Reason">Why the command failed.</param>
/// <param name="Field">Where the offending field is (SKSV set when present).</param>
/// <param name="Information">The INFORMATION field (VALID set when present), e.g. a miscompare offset.</param>
public readonly record struct SenseProblem(SenseReason Reason, FieldPointer? Field = null, ulong? Information = null)
{
    /// <summary>INVALID FIELD IN CDB pointing at <paramref name="byteIndex"/> (and <paramref name="bit"/>).</summary>
    public static SenseProblem CdbField(int byteIndex, int? bit = null) =>
        new(SenseReason.InvalidFieldInCdb, new FieldPointer(true, checked((ushort)byteIndex), (byte?)bit));

    /// <summary>INVALID FIELD IN PARAMETER LIST pointing at <paramref name="byteIndex"/> of the parameter data.</summary>
    public static SenseProblem ParameterField(int byteIndex, int? bit = null) =>
        new(SenseReason.InvalidFieldInParameterList, new FieldPointer(false, checked((ushort)Math.Min(byteIndex, ushort.MaxValue)), (byte?)bit));

    /// <summary>Implicitly a reason with no details.</summary>
    public static implicit operator SenseProblem(SenseReason reason) => new(reason);
}
