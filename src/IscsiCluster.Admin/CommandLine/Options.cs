namespace IscsiCluster.Admin.CommandLine;

/// <summary>
/// Every option of tgtadm 1.0.85 (usr/tgtadm.c long_options) plus this tool's own (--output, --dump, --execute).
/// tgtadm's short string declares -F and -O as taking a value, unlike --force and --outgoing; here both
/// forms are flags, as tgtadm's usage text documents them.
/// </summary>
internal static class Options
{
    public static readonly OptionSpec Lld = new('L', "lld", true, "driver", "the low-level driver: iscsi");
    public static readonly OptionSpec Op = new('o', "op", true, "op", "new, delete, show, update, bind, unbind, stat");
    public static readonly OptionSpec Mode = new('m', "mode", true, "mode", "target (tgt), logicalunit (lu), account, session (sess), connection (conn), system (sys)");
    public static readonly OptionSpec Tid = new('t', "tid", true, "id", "the target id (1 or more)");
    public static readonly OptionSpec Sid = new('s', "sid", true, "id", "the session id (session and connection modes)");
    public static readonly OptionSpec Cid = new('c', "cid", true, "id", "the connection id (connection mode)");
    public static readonly OptionSpec Lun = new('l', "lun", true, "lun", "the logical unit number (1 or more; 0 is the controller)");
    public static readonly OptionSpec Name = new('n', "name", true, "param", "a target parameter to update: state, TargetAlias");
    public static readonly OptionSpec Value = new('v', "value", true, "value", "the parameter's new value");
    public static readonly OptionSpec BackingStore = new('b', "backing-store", true, "path", "a file or block device whose size and contents are imported into the cluster");
    public static readonly OptionSpec BsType = new('E', "bstype", true, "type", "rocksdb (rdwr and aio are accepted and mean the same)");
    public static readonly OptionSpec BsOpts = new('S', "bsopts", true, "opts", "size=N[K|M|G|T]: create a thin LUN of that size");
    public static readonly OptionSpec BsOFlags = new('f', "bsoflags", true, "flags", "sync, direct or sync:direct (writes are always durable here)");
    public static readonly OptionSpec BlockSize = new('y', "blocksize", true, "bytes", "the logical block size: 512 (default), 1024, 2048 or 4096");
    public static readonly OptionSpec TargetName = new('T', "targetname", true, "name", "the iSCSI name of a new target");
    public static readonly OptionSpec InitiatorAddress = new('I', "initiator-address", true, "address", "ALL, an IP address or a CIDR (ACL)");
    public static readonly OptionSpec InitiatorName = new('Q', "initiator-name", true, "name", "an initiator's iSCSI name (ACL)");
    public static readonly OptionSpec User = new('u', "user", true, "name", "a CHAP account name");
    public static readonly OptionSpec Password = new('p', "password", true, "secret", "the account's CHAP secret");
    public static readonly OptionSpec Host = new('H', "host", true, "host", "tgt's SCSI host binding (not served by iSCSI targets)");
    public static readonly OptionSpec Force = new('F', "force", false, "", "delete a target even if it has sessions (they are ended); shrink a LUN (data past its new end is lost)");
    public static readonly OptionSpec Params = new('P', "params", true, "k=v,...", "logicalunit update: size, vendor_id, product_id, product_rev; show: show-secrets=1");
    public static readonly OptionSpec Bus = new('B', "bus", true, "bus", "tgt's SCSI bus binding (not served by iSCSI targets)");
    public static readonly OptionSpec DeviceType = new('Y', "device-type", true, "type", "disk (the only type served)");
    public static readonly OptionSpec Outgoing = new('O', "outgoing", false, "", "bind or unbind the account as the target's own (mutual CHAP)");
    public static readonly OptionSpec ControlPort = new('C', "control-port", true, "port", "which node: N (socket <path>.N), a socket path, or host:port (TCP)");
    public static readonly OptionSpec Debug = new('d', "debug", false, "", "accepted for compatibility");
    public static readonly OptionSpec Help = new('h', "help", false, "", "print this help and exit");
    public static readonly OptionSpec Version = new('V', "version", false, "", "print the version and exit");
    public static readonly OptionSpec Output = new(OptionSpec.NoShort, "output", true, "text|json", "print results as tgtadm text (default) or JSON");
    public static readonly OptionSpec Dump = new(OptionSpec.NoShort, "dump", false, "", "print the whole configuration as a targets.conf (with secrets)");
    public static readonly OptionSpec Execute = new(OptionSpec.NoShort, "execute", true, "file", "apply a tgt targets.conf (like tgt-admin --execute)");

    public static readonly IReadOnlyList<OptionSpec> All =
    [
        Lld, Op, Mode, Tid, Sid, Cid, Lun, Name, Value, BackingStore, BsType, BsOpts, BsOFlags, BlockSize, TargetName,
        InitiatorAddress, InitiatorName, User, Password, Host, Force, Params, Bus, DeviceType, Outgoing, ControlPort,
        Debug, Help, Version, Output, Dump, Execute,
    ];
}
