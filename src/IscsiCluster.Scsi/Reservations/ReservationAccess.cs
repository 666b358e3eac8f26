namespace IscsiCluster.Scsi.Reservations;

/// <summary>
/// How reservations restrict a command: one column set of SPC-4 5.13.1 (table 50, SPC
/// commands) and SBC-3 4.17 (table 13, block commands) per command entry. What each class
/// means under each reservation type is decided in one place, <see cref="ReservationState.Conflicts"/>.
/// </summary>
internal enum ReservationAccess
{
    /// <summary>
    /// Allowed whatever is reserved, SPC-2 reservations included (SPC-2 5.5.1): INQUIRY,
    /// REPORT LUNS, REQUEST SENSE and the MAINTENANCE IN reports.
    /// </summary>
    Unrestricted,

    /// <summary>
    /// Allowed under every persistent reservation type, in conflict with another nexus's SPC-2
    /// reservation: TEST UNIT READY, READ CAPACITY, PERSISTENT RESERVE IN.
    /// </summary>
    Status,

    /// <summary>
    /// Reads the medium or the unit's parameters (READ, VERIFY, PRE-FETCH, GET LBA STATUS, MODE SENSE,
    /// READ DEFECT DATA):
    /// allowed under Write Exclusive types, in conflict under Exclusive Access unless the nexus is
    /// registered and the type is registrants only or all registrants.
    /// </summary>
    Read,

    /// <summary>
    /// Changes the medium or the unit's parameters (WRITE, ORWRITE, WRITE ATOMIC, UNMAP, WRITE SAME,
    /// COMPARE AND WRITE, EXTENDED COPY and RECEIVE COPY RESULTS, SYNCHRONIZE CACHE, MODE SELECT,
    /// START STOP UNIT, PREVENT ALLOW MEDIUM REMOVAL): in conflict
    /// under every type unless the nexus is registered and the type is registrants only or all registrants.
    /// </summary>
    Write,

    /// <summary>PERSISTENT RESERVE OUT: table 50 allows it; the service actions check reservation keys themselves.</summary>
    PersistentReserveOut,

    /// <summary>RESERVE and RELEASE (6)/(10): their handlers apply SPC-2 and the exceptions of SPC-4 5.13.3.</summary>
    Spc2Reservation,
}
