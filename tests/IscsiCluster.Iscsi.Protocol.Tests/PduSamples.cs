using IscsiCluster.Iscsi.Protocol.Pdus;

namespace IscsiCluster.Iscsi.Protocol.Tests;

/// <summary>One PDU of every type with every field set to a distinctive value.</summary>
internal static class PduSamples
{
    private static readonly byte[] OddData = [1, 2, 3, 4, 5, 6, 7];

    public static IReadOnlyList<IscsiPdu> All { get; } =
    [
        new NopOutPdu { Immediate = true, Lun = 0x0001_0000_0000_0000, InitiatorTaskTag = 0x11, TargetTransferTag = 0x22, CmdSN = 3, ExpStatSN = 4, Data = OddData },
        new ScsiCommandPdu
        {
            Immediate = false, Final = false, Read = true, Write = true, Attribute = ScsiTaskAttribute.HeadOfQueue, Lun = 0x0002_0000_0000_0000,
            InitiatorTaskTag = 0x1234, ExpectedDataTransferLength = 8192, CmdSN = 0xfffffffe, ExpStatSN = 9,
            Cdb = Enumerable.Range(0, 16).Select(i => (byte)(0x28 + i)).ToArray(), Data = new byte[512],
        },
        new ScsiCommandPdu
        {
            Read = true, Write = true, Lun = 7, InitiatorTaskTag = 0x99, CmdSN = 5,
            Cdb = Enumerable.Range(0, 32).Select(i => (byte)(0x7f + i)).ToArray(), BidirectionalReadExpectedDataTransferLength = 4096,
        },
        new ScsiCommandPdu { Cdb = Enumerable.Range(0, 21).Select(i => (byte)(i + 1)).ToArray(), InitiatorTaskTag = 1, Data = OddData },
        new TaskManagementRequestPdu
        {
            Immediate = true, Function = TaskManagementFunction.AbortTask, Lun = 3, InitiatorTaskTag = 0x40, ReferencedTaskTag = 0x41,
            CmdSN = 6, ExpStatSN = 7, RefCmdSN = 8, ExpDataSN = 9,
        },
        new LoginRequestPdu
        {
            Transit = true, Continue = false, CurrentStage = LoginStage.LoginOperationalNegotiation, NextStage = LoginStage.FullFeaturePhase,
            VersionMax = 0, VersionMin = 0, Isid = 0x8000_1234_5678, Tsih = 0x0102, InitiatorTaskTag = 0x77, ConnectionId = 0x0304,
            CmdSN = 10, ExpStatSN = 11, Data = "InitiatorName=iqn.1994-05.com.example:a\0"u8.ToArray(),
        },
        new LoginRequestPdu { Continue = true, CurrentStage = LoginStage.SecurityNegotiation, NextStage = LoginStage.LoginOperationalNegotiation, Isid = 1 },
        new TextRequestPdu { Immediate = true, Final = false, Continue = true, Lun = 2, InitiatorTaskTag = 5, TargetTransferTag = 6, CmdSN = 7, ExpStatSN = 8, Data = "SendTargets=All\0"u8.ToArray() },
        new ScsiDataOutPdu { Final = true, Lun = 4, InitiatorTaskTag = 0x10, TargetTransferTag = 0x20, ExpStatSN = 0x30, DataSN = 0x40, BufferOffset = 0x50, Data = new byte[1000] },
        new LogoutRequestPdu { Immediate = true, Reason = LogoutReason.CloseConnection, InitiatorTaskTag = 3, ConnectionId = 9, CmdSN = 10, ExpStatSN = 11 },
        new SnackPdu { Type = SnackType.DataAck, Lun = 5, InitiatorTaskTag = 1, TargetTransferTag = 2, ExpStatSN = 3, BegRun = 4, RunLength = 5 },
        new NopInPdu { Lun = 1, InitiatorTaskTag = 2, TargetTransferTag = 3, StatSN = 4, ExpCmdSN = 5, MaxCmdSN = 6, Data = OddData },
        new ScsiResponsePdu
        {
            BidirectionalReadResidualOverflow = true, BidirectionalReadResidualUnderflow = false, ResidualOverflow = false, ResidualUnderflow = true,
            Response = ScsiResponseCode.CommandCompletedAtTarget, Status = 0x02, InitiatorTaskTag = 8, SnackTag = 9, StatSN = 10, ExpCmdSN = 11,
            MaxCmdSN = 12, ExpDataSN = 13, BidirectionalReadResidualCount = 14, ResidualCount = 15, Data = new byte[] { 0, 18, 0x70, 0, 5 },
        },
        new TaskManagementResponsePdu { Response = TaskManagementResponseCode.TaskDoesNotExist, InitiatorTaskTag = 1, StatSN = 2, ExpCmdSN = 3, MaxCmdSN = 4 },
        new LoginResponsePdu
        {
            Transit = true, Continue = false, CurrentStage = LoginStage.SecurityNegotiation, NextStage = LoginStage.LoginOperationalNegotiation,
            VersionMax = 0, VersionActive = 0, Isid = 0x0023_4567_89ab, Tsih = 0x0101, InitiatorTaskTag = 5, StatSN = 6, ExpCmdSN = 7, MaxCmdSN = 8,
            Status = LoginStatus.AuthenticationFailure, Data = "TargetPortalGroupTag=1\0"u8.ToArray(),
        },
        new TextResponsePdu { Final = false, Continue = true, Lun = 1, InitiatorTaskTag = 2, TargetTransferTag = 3, StatSN = 4, ExpCmdSN = 5, MaxCmdSN = 6, Data = OddData },
        new ScsiDataInPdu
        {
            Final = true, Acknowledge = true, ResidualOverflow = true, ResidualUnderflow = false, HasStatus = true, Status = 0x08, Lun = 3,
            InitiatorTaskTag = 4, TargetTransferTag = 5, StatSN = 6, ExpCmdSN = 7, MaxCmdSN = 8, DataSN = 9, BufferOffset = 10, ResidualCount = 11,
            Data = new byte[4096],
        },
        new LogoutResponsePdu { Response = LogoutResponseCode.CleanupFailed, InitiatorTaskTag = 1, StatSN = 2, ExpCmdSN = 3, MaxCmdSN = 4, Time2Wait = 5, Time2Retain = 6 },
        new ReadyToTransferPdu { Lun = 1, InitiatorTaskTag = 2, TargetTransferTag = 3, StatSN = 4, ExpCmdSN = 5, MaxCmdSN = 6, R2TSN = 7, BufferOffset = 8, DesiredDataTransferLength = 9 },
        new AsyncMessagePdu
        {
            Lun = 1, StatSN = 2, ExpCmdSN = 3, MaxCmdSN = 4, AsyncEvent = AsyncEvent.LogoutRequested, AsyncVCode = 5,
            Parameter1 = 6, Parameter2 = 7, Parameter3 = 8,
        },
        new RejectPdu { Reason = RejectReason.InvalidPduField, StatSN = 1, ExpCmdSN = 2, MaxCmdSN = 3, DataSnOrR2TSN = 4, Data = new byte[48] },
    ];

    public static IEnumerable<PduWriteOptions> DigestCombinations { get; } =
    [
        new(HeaderDigest: false, DataDigest: false),
        new(HeaderDigest: true, DataDigest: false),
        new(HeaderDigest: false, DataDigest: true),
        new(HeaderDigest: true, DataDigest: true),
    ];

    public static PduReadOptions ReadOptionsFor(PduWriteOptions write) => new()
    {
        HeaderDigest = write.HeaderDigest,
        DataDigest = write.DataDigest,
        MaxRecvDataSegmentLength = 16 * 1024,
    };

    /// <summary>Sample index x digest combination, for theories.</summary>
    public static TheoryData<int, bool, bool> Cases()
    {
        var data = new TheoryData<int, bool, bool>();
        for (var i = 0; i < All.Count; i++)
        {
            foreach (var options in DigestCombinations)
            {
                data.Add(i, options.HeaderDigest, options.DataDigest);
            }
        }

        return data;
    }
}
