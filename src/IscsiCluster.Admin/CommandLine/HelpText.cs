using System.Text;

namespace IscsiCluster.Admin.CommandLine;

/// <summary>--help: tgtadm's usage lines for every mode, then every option.</summary>
internal static class HelpText
{
    private const string Usage = """
        iscsi-cluster-adm: IscsiCluster administration with tgtadm's syntax (tgtadm 1.0.85)

        Usage: iscsi-cluster-adm [OPTION]...
        --lld iscsi --mode target --op new --tid <id> --targetname <name>
                add a new target with <id> and <name>. <id> must not be zero.
        --lld iscsi --mode target --op delete [--force] --tid <id>
                delete the target; with --force even if it has sessions (they are ended).
        --lld iscsi --mode target --op show [--tid <id>] [--params show-secrets=1]
                show all targets, or one; CHAP secrets only with show-secrets=1.
        --lld iscsi --mode target --op update --tid <id> --name <param> --value <value>
                change a target parameter: state (ready|offline), TargetAlias.
        --lld iscsi --mode target --op bind|unbind --tid <id> --initiator-address <address>
        --lld iscsi --mode target --op bind|unbind --tid <id> --initiator-name <name>
                admit (or stop admitting) initiators: ALL, an IP, a CIDR, or an iSCSI name.
                A target admits no initiator until an ACL binds one.
        --lld iscsi --mode logicalunit --op new --tid <id> --lun <lun> --backing-store <path>
                import <path> (a file or block device: size and contents) into the cluster.
        --lld iscsi --mode logicalunit --op new --tid <id> --lun <lun> --bsopts size=<N[K|M|G|T]> [--bstype rocksdb]
                create an empty thin LUN in the cluster's store. <lun> 0 is the controller.
        --lld iscsi --mode logicalunit --op delete --tid <id> --lun <lun>
        --lld iscsi --mode logicalunit --op update --tid <id> --lun <lun> --params vendor_id=..,product_id=..,product_rev=..
                change the INQUIRY strings the LUN reports.
        --lld iscsi --mode logicalunit --op update --tid <id> --lun <lun> --params size=<N[K|M|G|T]> [--force]
                resize the LUN online (a multiple of its block size); initiators are told CAPACITY DATA
                HAS CHANGED. Shrinking discards the data past the new end and needs --force.
        --lld iscsi --mode account --op new --user <name> --password <pass>
        --lld iscsi --mode account --op delete --user <name>
                delete the account (it is unbound from every target first).
        --lld iscsi --mode account --op show [--params show-secrets=1]
        --lld iscsi --mode account --op bind|unbind [--tid <id>] --user <name> [--outgoing]
                bind an account to a target (incoming: initiators log in with it; --outgoing:
                the target proves itself with it, one per target). Without --tid: discovery sessions.
        --lld iscsi --mode session --op show|stat [--tid <id>] [--sid <sid>]
        --lld iscsi --mode session --op delete --tid <id> --sid <sid>
        --lld iscsi --mode conn --op show|stat [--tid <id>] [--sid <sid>] [--cid <cid>]
        --lld iscsi --mode conn --op delete --tid <id> --sid <sid> --cid <cid>
        --lld iscsi --mode target|logicalunit|system --op stat [--tid <id>] [--lun <lun>]
        --lld iscsi --mode system --op show
        --lld iscsi --mode cluster --op show [--output json]
                the cluster's nodes (state, portal, sessions) and each LUN's owner, epoch and replicas.
        --dump
                print the whole configuration as a targets.conf (tgt-admin --dump), with secrets.
        --execute <file>
                apply a targets.conf (tgt-admin --execute); existing targets are skipped.

        Options (long options may be abbreviated; values as --opt=value, --opt value, -o value or -ovalue):
        """;

    private const string Footer = """

        The node is reached on the Unix socket $ISCSI_CLUSTER_ADMIN_SOCKET (default <repository>/.run/admin.sock,
        root or the node's user only), or on host:port with the token $ISCSI_CLUSTER_ADMIN_TOKEN.
        Exit status: 0 on success, 22 when the command or the node refuses the request, 13 when the endpoint
        refuses the caller, 111 when no node answers.
        """;

    public static string Text()
    {
        var text = new StringBuilder(Usage).Append('\n');
        foreach (var option in Options.All)
        {
            var left = option.TakesValue ? $"{option.Display} <{option.ValueName}>" : option.Display;
            text.Append("  ").Append(left.PadRight(36)).Append(option.Help).Append('\n');
        }

        return text.Append(Footer).Append('\n').ToString();
    }
}
