namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>The six-bit opcode of byte 0 of every Basic Header Segment (RFC 7143 11.2.1.2).</summary>
public enum IscsiOpcode : byte
{
    // Initiator opcodes.
    NopOut = 0x00,
    ScsiCommand = 0x01,
    TaskManagementRequest = 0x02,
    LoginRequest = 0x03,
    TextRequest = 0x04,
    ScsiDataOut = 0x05,
    LogoutRequest = 0x06,
    Snack = 0x10,
    InitiatorVendorSpecific1 = 0x1c,
    InitiatorVendorSpecific2 = 0x1d,
    InitiatorVendorSpecific3 = 0x1e,

    // Target opcodes.
    NopIn = 0x20,
    ScsiResponse = 0x21,
    TaskManagementResponse = 0x22,
    LoginResponse = 0x23,
    TextResponse = 0x24,
    ScsiDataIn = 0x25,
    LogoutResponse = 0x26,
    ReadyToTransfer = 0x31,
    AsyncMessage = 0x32,
    TargetVendorSpecific1 = 0x3c,
    TargetVendorSpecific2 = 0x3d,
    TargetVendorSpecific3 = 0x3e,
    Reject = 0x3f,
}

/// <summary>Classification helpers for <see cref="IscsiOpcode"/>.</summary>
public static class IscsiOpcodes
{
    private const byte TargetOpcodeBit = 0x20;

    /// <summary>RFC 7143 11.2.1.2: initiator opcodes are 0x00-0x1f, target opcodes 0x20-0x3f.</summary>
    public static bool IsInitiatorOpcode(IscsiOpcode opcode) => ((byte)opcode & TargetOpcodeBit) == 0;

    /// <summary>True for the opcodes this library has a typed PDU for (all but the vendor-specific ones).</summary>
    public static bool IsDefined(IscsiOpcode opcode) => opcode switch
    {
        IscsiOpcode.InitiatorVendorSpecific1 or IscsiOpcode.InitiatorVendorSpecific2 or IscsiOpcode.InitiatorVendorSpecific3
            or IscsiOpcode.TargetVendorSpecific1 or IscsiOpcode.TargetVendorSpecific2 or IscsiOpcode.TargetVendorSpecific3 => false,
        _ => Enum.IsDefined(opcode),
    };
}
