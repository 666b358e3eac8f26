namespace IscsiCluster.Scsi.Commands;

/// <summary>Operation codes (SPC-4 annex D.3.1, SBC-3 5.1 table 14).</summary>
public static class OpCode
{
    public const byte TestUnitReady = 0x00;
    public const byte RequestSense = 0x03;
    public const byte Read6 = 0x08;
    public const byte Write6 = 0x0A;
    public const byte Inquiry = 0x12;
    public const byte ModeSelect6 = 0x15;
    public const byte Reserve6 = 0x16;
    public const byte Release6 = 0x17;
    public const byte ModeSense6 = 0x1A;
    public const byte StartStopUnit = 0x1B;
    public const byte PreventAllowMediumRemoval = 0x1E;
    public const byte ReadCapacity10 = 0x25;
    public const byte Read10 = 0x28;
    public const byte Write10 = 0x2A;
    public const byte WriteAndVerify10 = 0x2E;
    public const byte Verify10 = 0x2F;
    public const byte SynchronizeCache10 = 0x35;
    public const byte PreFetch10 = 0x34;
    public const byte ReadDefectData10 = 0x37;
    public const byte WriteSame10 = 0x41;
    public const byte Unmap = 0x42;
    public const byte Sanitize = 0x48;
    public const byte ModeSelect10 = 0x55;
    public const byte Reserve10 = 0x56;
    public const byte Release10 = 0x57;
    public const byte ModeSense10 = 0x5A;
    public const byte PersistentReserveIn = 0x5E;
    public const byte PersistentReserveOut = 0x5F;
    public const byte ExtendedCopy = 0x83;
    public const byte ReceiveCopyResults = 0x84;
    public const byte Read16 = 0x88;
    public const byte CompareAndWrite = 0x89;
    public const byte Write16 = 0x8A;
    public const byte OrWrite16 = 0x8B;
    public const byte WriteAndVerify16 = 0x8E;
    public const byte Verify16 = 0x8F;
    public const byte PreFetch16 = 0x90;
    public const byte SynchronizeCache16 = 0x91;
    public const byte WriteSame16 = 0x93;
    public const byte WriteAtomic16 = 0x9C;
    public const byte ServiceActionIn16 = 0x9E;
    public const byte ReportLuns = 0xA0;
    public const byte MaintenanceIn = 0xA3;
    public const byte Read12 = 0xA8;
    public const byte Write12 = 0xAA;
    public const byte WriteAndVerify12 = 0xAE;
    public const byte Verify12 = 0xAF;
    public const byte ReadDefectData12 = 0xB7;
}

/// <summary>Service actions of the opcodes that carry one (SBC-3 5.1, SPC-4 6.x).</summary>
public static class ServiceAction
{
    /// <summary>SERVICE ACTION IN(16) / READ CAPACITY(16), SBC-3 5.16.</summary>
    public const ushort ReadCapacity16 = 0x10;

    /// <summary>SERVICE ACTION IN(16) / GET LBA STATUS, SBC-3 5.6.</summary>
    public const ushort GetLbaStatus = 0x12;

    /// <summary>PERSISTENT RESERVE IN / READ KEYS, SPC-4 6.15.2.</summary>
    public const ushort ReadKeys = 0x00;

    /// <summary>PERSISTENT RESERVE IN / READ RESERVATION, SPC-4 6.15.3.</summary>
    public const ushort ReadReservation = 0x01;

    /// <summary>PERSISTENT RESERVE IN / REPORT CAPABILITIES, SPC-4 6.15.4.</summary>
    public const ushort ReportCapabilities = 0x02;

    /// <summary>PERSISTENT RESERVE IN / READ FULL STATUS, SPC-4 6.15.5.</summary>
    public const ushort ReadFullStatus = 0x03;

    /// <summary>PERSISTENT RESERVE OUT / REGISTER, SPC-4 6.16.2 table 215.</summary>
    public const ushort Register = 0x00;

    /// <summary>PERSISTENT RESERVE OUT / RESERVE.</summary>
    public const ushort Reserve = 0x01;

    /// <summary>PERSISTENT RESERVE OUT / RELEASE.</summary>
    public const ushort Release = 0x02;

    /// <summary>PERSISTENT RESERVE OUT / CLEAR.</summary>
    public const ushort Clear = 0x03;

    /// <summary>PERSISTENT RESERVE OUT / PREEMPT.</summary>
    public const ushort Preempt = 0x04;

    /// <summary>PERSISTENT RESERVE OUT / PREEMPT AND ABORT.</summary>
    public const ushort PreemptAndAbort = 0x05;

    /// <summary>PERSISTENT RESERVE OUT / REGISTER AND IGNORE EXISTING KEY.</summary>
    public const ushort RegisterAndIgnoreExistingKey = 0x06;

    /// <summary>PERSISTENT RESERVE OUT / REGISTER AND MOVE.</summary>
    public const ushort RegisterAndMove = 0x07;

    /// <summary>EXTENDED COPY(LID1), SPC-4 6.3.</summary>
    public const ushort ExtendedCopyLid1 = 0x00;

    /// <summary>RECEIVE COPY RESULTS / COPY STATUS (LID1), SPC-4 6.18.2.</summary>
    public const ushort CopyStatus = 0x00;

    /// <summary>RECEIVE COPY RESULTS / OPERATING PARAMETERS, SPC-4 6.18.4.</summary>
    public const ushort OperatingParameters = 0x03;

    /// <summary>MAINTENANCE IN / REPORT TARGET PORT GROUPS, SPC-4 6.36.</summary>
    public const ushort ReportTargetPortGroups = 0x0A;

    /// <summary>MAINTENANCE IN / REPORT SUPPORTED OPERATION CODES, SPC-4 6.35.</summary>
    public const ushort ReportSupportedOperationCodes = 0x0C;

    /// <summary>MAINTENANCE IN / REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS, SPC-4 6.37.</summary>
    public const ushort ReportSupportedTaskManagementFunctions = 0x0D;
}
