using System.Text;

namespace IscsiCluster.Admin.Contracts.Protocol;

/// <summary>
/// One parsed tgtadm command, as it travels to a node. Fields mirror tgtadm 1.0.85's options; an option
/// that was not given is null (or false for the flags).
/// </summary>
public sealed record AdmRequest(AdmMode Mode, AdmOp Op)
{
    /// <summary>--lld/-L: the low-level driver; only "iscsi" exists here.</summary>
    public string? Lld { get; init; }

    /// <summary>--tid/-t. For account bind/unbind a null tid means the discovery (global) binding, as in tgt.</summary>
    public int? Tid { get; init; }

    /// <summary>--sid/-s: a session id (TSIH), for session and connection modes.</summary>
    public ulong? Sid { get; init; }

    /// <summary>--cid/-c: a connection id, for connection mode.</summary>
    public uint? Cid { get; init; }

    /// <summary>--lun/-l.</summary>
    public ulong? Lun { get; init; }

    /// <summary>--targetname/-T.</summary>
    public string? TargetName { get; init; }

    /// <summary>--backing-store/-b: a file or block device to import.</summary>
    public string? BackingStore { get; init; }

    /// <summary>--bstype/-E.</summary>
    public string? BsType { get; init; }

    /// <summary>--bsopts/-S: "key=value" pairs separated by ';' (e.g. "size=10G").</summary>
    public string? BsOpts { get; init; }

    /// <summary>--bsoflags/-f: tgt's open flags ("sync", "direct"); accepted, and meaningless for RocksDB.</summary>
    public string? BsOFlags { get; init; }

    /// <summary>--blocksize/-y: the logical block length of a new LUN.</summary>
    public int? BlockSize { get; init; }

    /// <summary>--device-type/-Y: only "disk" is served.</summary>
    public string? DeviceType { get; init; }

    /// <summary>--initiator-address/-I: "ALL", an IP address or a CIDR.</summary>
    public string? InitiatorAddress { get; init; }

    /// <summary>--initiator-name/-Q.</summary>
    public string? InitiatorName { get; init; }

    /// <summary>--user/-u.</summary>
    public string? User { get; init; }

    /// <summary>--password/-p: a CHAP secret, never logged.</summary>
    public string? Password { get; init; }

    /// <summary>--outgoing/-O: the account is the target's own (mutual CHAP).</summary>
    public bool Outgoing { get; init; }

    /// <summary>--name/-n (target update).</summary>
    public string? Name { get; init; }

    /// <summary>--value/-v (target update).</summary>
    public string? Value { get; init; }

    /// <summary>--force/-F: delete a target even with sessions (they are ended), or shrink a LUN (data past its new end is lost).</summary>
    public bool Force { get; init; }

    /// <summary>--params/-P: "key=value" pairs separated by ',' (logicalunit update: INQUIRY strings and size).</summary>
    public string? Params { get; init; }

    /// <summary>Show only: include CHAP secrets in the payload (<c>--params show-secrets=1</c>, or <c>--dump</c>).</summary>
    public bool IncludeSecrets { get; init; }

    /// <summary>The token a TCP endpoint requires; null on the Unix socket.</summary>
    public string? Token { get; init; }

    /// <summary>A rendering for logs: secrets are masked.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append("AdmRequest { Mode = ").Append(Mode).Append(", Op = ").Append(Op);
        Append(text, nameof(Tid), Tid);
        Append(text, nameof(Sid), Sid);
        Append(text, nameof(Cid), Cid);
        Append(text, nameof(Lun), Lun);
        Append(text, nameof(TargetName), TargetName);
        Append(text, nameof(BackingStore), BackingStore);
        Append(text, nameof(BsType), BsType);
        Append(text, nameof(BsOpts), BsOpts);
        Append(text, nameof(InitiatorAddress), InitiatorAddress);
        Append(text, nameof(InitiatorName), InitiatorName);
        Append(text, nameof(User), User);
        Append(text, nameof(Password), Password is null ? null : "***");
        Append(text, nameof(Name), Name);
        Append(text, nameof(Value), Value);
        Append(text, nameof(Params), Params);
        if (Outgoing)
        {
            text.Append(", Outgoing");
        }

        if (Force)
        {
            text.Append(", Force");
        }

        return text.Append(" }").ToString();
    }

    private static void Append(StringBuilder text, string name, object? value)
    {
        if (value is not null)
        {
            text.Append(", ").Append(name).Append(" = ").Append(value);
        }
    }
}
