namespace IscsiCluster.Scsi.Reservations;

/// <summary>The TYPE field of PERSISTENT RESERVE OUT and IN (SPC-4 6.16.2, table 216).</summary>
public enum PersistentReservationType : byte
{
    WriteExclusive = 0x1,
    ExclusiveAccess = 0x3,
    WriteExclusiveRegistrantsOnly = 0x5,
    ExclusiveAccessRegistrantsOnly = 0x6,
    WriteExclusiveAllRegistrants = 0x7,
    ExclusiveAccessAllRegistrants = 0x8,
}

/// <summary>What a reservation type implies (SPC-4 5.13.10).</summary>
internal static class PersistentReservationTypes
{
    /// <summary>True for the six types this unit supports (every type SPC-4 defines).</summary>
    public static bool IsDefined(int type) => type is 0x1 or 0x3 or 0x5 or 0x6 or 0x7 or 0x8;

    /// <summary>SPC-4 5.13.10: every registered I_T nexus holds an all registrants reservation.</summary>
    public static bool IsAllRegistrants(this PersistentReservationType type) =>
        type is PersistentReservationType.WriteExclusiveAllRegistrants or PersistentReservationType.ExclusiveAccessAllRegistrants;

    /// <summary>Registrants only and all registrants types give registered nexuses access.</summary>
    public static bool AdmitsRegistrants(this PersistentReservationType type) =>
        type is not (PersistentReservationType.WriteExclusive or PersistentReservationType.ExclusiveAccess);

    /// <summary>Write Exclusive types let everyone read.</summary>
    public static bool IsWriteExclusive(this PersistentReservationType type) =>
        type is PersistentReservationType.WriteExclusive
            or PersistentReservationType.WriteExclusiveRegistrantsOnly
            or PersistentReservationType.WriteExclusiveAllRegistrants;
}
