namespace IscsiCluster.Scsi.Sense;

/// <summary>A sense key with its additional sense code and qualifier (SPC-4 4.5.6, annex D).</summary>
/// <param name="Key">The sense key.</param>
/// <param name="Asc">ADDITIONAL SENSE CODE.</param>
/// <param name="Ascq">ADDITIONAL SENSE CODE QUALIFIER.</param>
public readonly record struct SenseCode(SenseKey Key, byte Asc, byte Ascq);
