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

    /// <summary>HARDWARE ERROR / INTERNAL TARGET FAILURE (44h/00h): the backing store failed in a way no other reason describes.</summary>
    InternalTargetFailure,
}
