namespace IscsiCluster.Scsi.Sense;

/// <summary>
/// The sense-key specific field pointer of SPC-4 4.5.2.4.2 (table 30): which byte,
/// and optionally which bit, of the CDB or parameter list holds the bad field.
/// </summary>
/// <param name="InCdb">True when the field is in the CDB (C/D bit one), false for the parameter data.</param>
/// <param name="ByteIndex">The byte holding the field (its most significant byte for multi-byte fields).</param>
/// <param name="Bit">The most significant bit of the field (0..7), or null when the whole byte is meant.</param>
public readonly record struct FieldPointer(bool InCdb, ushort ByteIndex, byte? Bit);
