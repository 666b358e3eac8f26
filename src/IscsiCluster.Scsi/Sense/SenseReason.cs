namespace IscsiCluster.Scsi.Sense;

/// <summary>
/// Why a command ended the way it did. Handlers return a reason; only
/// <see cref="SenseTable"/> knows the sense key, ASC and ASCQ each one stands for.
/// </summary>
public enum SenseReason
{
    /// <summary>NO SENSE, NO ADDITIONAL SENSE INFORMATION (REQUEST SENSE with nothing pending).</summary>
    NoSense,

    /// <summary>ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE.</summary>
    InvalidCommandOperationCode,

    /// <summary>ILLEGAL REQUEST, INVALID FIELD IN CDB.</summary>
    InvalidFieldInCdb,

    /// <summary>ILLEGAL REQUEST, INVALID FIELD IN PARAMETER LIST.</summary>
    InvalidFieldInParameterList,

    /// <summary>ILLEGAL REQUEST, PARAMETER LIST LENGTH ERROR.</summary>
    ParameterListLengthError,

    /// <summary>ILLEGAL REQUEST, INVALID FIELD IN COMMAND INFORMATION UNIT (the data-out buffer is shorter than the CDB asks).</summary>
    InvalidFieldInCommandInformationUnit,

    /// <summary>ILLEGAL REQUEST, LOGICAL BLOCK ADDRESS OUT OF RANGE.</summary>
    LbaOutOfRange,

    /// <summary>ABORTED COMMAND, PROTOCOL SERVICE CRC ERROR: the transport found the command's data corrupt (a digest failed).</summary>
    ProtocolServiceCrcError,

    /// <summary>ILLEGAL REQUEST, LOGICAL UNIT NOT SUPPORTED.</summary>
    LogicalUnitNotSupported,

    /// <summary>ILLEGAL REQUEST, SAVING PARAMETERS NOT SUPPORTED.</summary>
    SavingParametersNotSupported,

    /// <summary>MEDIUM ERROR, UNRECOVERED READ ERROR (the block device failed a read).</summary>
    UnrecoveredReadError,

    /// <summary>MEDIUM ERROR, WRITE ERROR (the block device failed a write, flush or unmap).</summary>
    WriteError,

    /// <summary>MISCOMPARE, MISCOMPARE DURING VERIFY OPERATION.</summary>
    MiscompareDuringVerify,

    /// <summary>UNIT ATTENTION, POWER ON, RESET, OR BUS DEVICE RESET OCCURRED (owed to every new I_T nexus).</summary>
    PowerOnResetOccurred,

    /// <summary>UNIT ATTENTION, POWER ON OCCURRED (target cold reset).</summary>
    PowerOnOccurred,

    /// <summary>UNIT ATTENTION, BUS DEVICE RESET FUNCTION OCCURRED (logical unit or target warm reset).</summary>
    BusDeviceResetFunctionOccurred,

    /// <summary>UNIT ATTENTION, I_T NEXUS LOSS OCCURRED.</summary>
    ITNexusLossOccurred,

    /// <summary>UNIT ATTENTION, MODE PARAMETERS CHANGED (another I_T nexus ran MODE SELECT).</summary>
    ModeParametersChanged,

    /// <summary>UNIT ATTENTION, REPORTED LUNS DATA HAS CHANGED.</summary>
    ReportedLunsDataHasChanged,

    /// <summary>ILLEGAL REQUEST, INVALID RELEASE OF PERSISTENT RESERVATION (RELEASE with another type or scope than the reservation's).</summary>
    InvalidReleaseOfPersistentReservation,

    /// <summary>UNIT ATTENTION, RESERVATIONS PREEMPTED (SPC-4 5.13.11.4, 5.13.11.6: PREEMPT or CLEAR by another I_T nexus).</summary>
    ReservationsPreempted,

    /// <summary>UNIT ATTENTION, RESERVATIONS RELEASED (SPC-4 5.13.11.2: a registrants only or all registrants reservation ended).</summary>
    ReservationsReleased,

    /// <summary>UNIT ATTENTION, REGISTRATIONS PREEMPTED (SPC-4 5.13.11.4: PREEMPT removed this nexus's registration).</summary>
    RegistrationsPreempted,

    /// <summary>UNIT ATTENTION, ASYMMETRIC ACCESS STATE CHANGED (SPC-4 5.15.2.4: a target port group's access state changed).</summary>
    AsymmetricAccessStateChanged,

    /// <summary>UNIT ATTENTION, CAPACITY DATA HAS CHANGED (SBC-3 4.6: the number of logical blocks changed).</summary>
    CapacityDataHasChanged,

    /// <summary>ILLEGAL REQUEST, TOO MANY TARGET DESCRIPTORS (EXTENDED COPY with more CSCD descriptors than the copy manager takes).</summary>
    TooManyTargetDescriptors,

    /// <summary>ILLEGAL REQUEST, UNSUPPORTED TARGET DESCRIPTOR TYPE CODE.</summary>
    UnsupportedTargetDescriptorTypeCode,

    /// <summary>ILLEGAL REQUEST, TOO MANY SEGMENT DESCRIPTORS.</summary>
    TooManySegmentDescriptors,

    /// <summary>ILLEGAL REQUEST, UNSUPPORTED SEGMENT DESCRIPTOR TYPE CODE.</summary>
    UnsupportedSegmentDescriptorTypeCode,

    /// <summary>
    /// COPY ABORTED, COPY TARGET DEVICE NOT REACHABLE: an EXTENDED COPY segment names a copy
    /// target this copy manager cannot reach, or blocks that target does not have.
    /// </summary>
    CopyTargetDeviceNotReachable,

    /// <summary>HARDWARE ERROR / INTERNAL TARGET FAILURE (44h/00h): the backing store failed in a way no other reason describes.</summary>
    InternalTargetFailure,

    /// <summary>NOT READY, LOGICAL UNIT NOT ACCESSIBLE, ASYMMETRIC ACCESS STATE TRANSITION (04h/0Ah).</summary>
    AsymmetricAccessStateTransition,

    /// <summary>NOT READY, LOGICAL UNIT NOT ACCESSIBLE, TARGET PORT IN STANDBY STATE (04h/0Bh).</summary>
    TargetPortInStandbyState,

    /// <summary>NOT READY, LOGICAL UNIT NOT ACCESSIBLE, TARGET PORT IN UNAVAILABLE STATE (04h/0Ch).</summary>
    TargetPortInUnavailableState,

    /// <summary>ABORTED COMMAND, INITIATOR RESPONSE TIMEOUT (4Bh/06h): the initiator stopped sending a write's data.</summary>
    InitiatorResponseTimeout,
}
