namespace IscsiCluster.Scsi.Sam;

/// <summary>SAM-5 5.3 status codes.</summary>
public enum ScsiStatus : byte
{
    Good = 0x00,
    CheckCondition = 0x02,
    ConditionMet = 0x04,
    Busy = 0x08,
    ReservationConflict = 0x18,
    TaskSetFull = 0x28,
    AcaActive = 0x30,
    TaskAborted = 0x40,
}

/// <summary>SAM-5 5.11 task attributes.</summary>
public enum TaskAttribute : byte
{
    Simple = 0,
    Ordered = 1,
    HeadOfQueue = 2,
    Aca = 3,
}
