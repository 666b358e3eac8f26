using System.Globalization;
using System.Text;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.Output;

/// <summary>
/// Renders show data in tgtadm's layout (usr/target.c tgt_target_show_all, usr/iscsi/session.c for the I_T
/// nexus lines): four spaces per level, the controller as LUN 0, accounts with "(outgoing)", then the ACL.
/// Secrets appear only when the payload carries them (show-secrets=1).
/// </summary>
internal static class ShowText
{
    private const string Tab1 = "    ";
    private const string Tab2 = Tab1 + Tab1;
    private const string Tab3 = Tab2 + Tab1;
    private const string Tab4 = Tab2 + Tab2;
    private const string Unknown = "unknown";

    public static string Targets(AdmPayload payload, int? tid, bool showSecrets)
    {
        var configuration = payload.Configuration ?? ClusterConfiguration.Empty;
        var text = new StringBuilder();
        foreach (var target in configuration.Targets.Where(t => tid is null || t.Tid == tid))
        {
            AppendTarget(text, configuration, target, payload, showSecrets);
        }

        return text.ToString();
    }

    private static void AppendTarget(StringBuilder text, ClusterConfiguration configuration, TargetDefinition target, AdmPayload payload, bool showSecrets)
    {
        Line(text, "", $"Target {target.Tid}: {target.Name}");
        Line(text, Tab1, "System information:");
        Line(text, Tab2, "Driver: iscsi");
        Line(text, Tab2, $"State: {(target.State == TargetState.Ready ? "ready" : "offline")}");
        if (target.Alias is not null)
        {
            Line(text, Tab2, $"Alias: {target.Alias}");
        }

        Line(text, Tab1, "I_T nexus information:");
        foreach (var session in (payload.Sessions ?? []).Where(s => s.Tid == target.Tid).OrderBy(s => s.Sid))
        {
            Line(text, Tab2, $"I_T nexus: {session.Sid}");
            Line(text, Tab3, $"Initiator: {session.InitiatorName} alias: {session.InitiatorAlias ?? "none"}");
            foreach (var connection in session.Connections)
            {
                Line(text, Tab3, $"Connection: {connection.Cid}");
                Line(text, Tab4, $"IP Address: {connection.Address}");
            }
        }

        Line(text, Tab1, "LUN information:");
        AppendController(text, target, payload);
        foreach (var lun in target.Luns)
        {
            AppendLun(text, target, lun, payload);
        }

        Line(text, Tab1, "Account information:");
        foreach (var user in target.IncomingUsers)
        {
            Line(text, Tab2, Account(configuration, user, "", showSecrets));
        }

        if (target.OutgoingUser is { } outgoing)
        {
            Line(text, Tab2, Account(configuration, outgoing, " (outgoing)", showSecrets));
        }

        Line(text, Tab1, "ACL information:");
        foreach (var entry in target.InitiatorAddresses.Concat(target.InitiatorNames))
        {
            Line(text, Tab2, entry);
        }
    }

    private static void AppendController(StringBuilder text, TargetDefinition target, AdmPayload payload)
    {
        var runtime = Runtime(payload, target.Tid, 0);
        AppendUnit(text, 0, "controller", runtime, "0 MB", 1, "null", "None");
    }

    private static void AppendLun(StringBuilder text, TargetDefinition target, LunDefinition lun, AdmPayload payload)
    {
        var runtime = Runtime(payload, target.Tid, lun.Lun);
        AppendUnit(text, lun.Lun, "disk", runtime, DiskSize(lun.SizeBytes), lun.BlockSize, lun.BsType, lun.BackingStoreDescription);
    }

    private static void AppendUnit(StringBuilder text, ulong lun, string type, LunRuntimeInfo? runtime, string size, int blockSize, string bsType, string path)
    {
        Line(text, Tab2, $"LUN: {lun}");
        Line(text, Tab3, $"Type: {type}");
        Line(text, Tab3, $"SCSI ID: {runtime?.ScsiId ?? Unknown}");
        Line(text, Tab3, $"SCSI SN: {runtime?.ScsiSerial ?? Unknown}");
        Line(text, Tab3, $"Size: {size}, Block size: {blockSize}");
        Line(text, Tab3, $"Online: {YesNo(runtime?.Online ?? false)}");
        Line(text, Tab3, "Removable media: No");
        Line(text, Tab3, "Prevent removal: No");
        Line(text, Tab3, "Readonly: No");
        Line(text, Tab3, "SWP: No");
        Line(text, Tab3, $"Thin-provisioning: {YesNo(type == "disk")}");
        Line(text, Tab3, $"Backing store type: {bsType}");
        Line(text, Tab3, $"Backing store path: {path}");
        Line(text, Tab3, "Backing store flags: ");
    }

    /// <summary>tgt's print_disksize: "megabytes" rounded the way tgt rounds them, so sizes read as they did under tgt.</summary>
    public static string DiskSize(long bytes)
    {
        var sectors = (ulong)bytes / 512;
        var megabytes = (sectors - (sectors / 625 - 974)) / 1950;
        return megabytes.ToString(CultureInfo.InvariantCulture) + " MB";
    }

    private static LunRuntimeInfo? Runtime(AdmPayload payload, int tid, ulong lun) =>
        payload.Luns?.FirstOrDefault(l => l.Tid == tid && l.Lun == lun);

    private static string Account(ClusterConfiguration configuration, string user, string suffix, bool showSecrets) =>
        showSecrets && configuration.FindAccount(user) is { } account
            ? $"{user}{suffix} password: {account.Password}"
            : user + suffix;

    /// <summary>tgt's account_show: "Account list:" then one user per line, nothing at all when there is no account.</summary>
    public static string Accounts(AdmPayload payload, bool showSecrets)
    {
        var configuration = payload.Configuration ?? ClusterConfiguration.Empty;
        if (configuration.Accounts.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder();
        Line(text, "", "Account list:");
        foreach (var account in configuration.Accounts)
        {
            Line(text, Tab1, showSecrets ? $"{account.User} password: {account.Password}" : account.User);
        }

        return text.ToString();
    }

    /// <summary>tgt's iscsi_target_show_connections: per connection, its session, initiator and address.</summary>
    public static string Connections(AdmPayload payload, AdmRequest request)
    {
        var text = new StringBuilder();
        foreach (var session in Sessions(payload, request))
        {
            foreach (var connection in session.Connections.Where(c => request.Cid is null || c.Cid == request.Cid))
            {
                Line(text, "", $"Session: {session.Sid}");
                Line(text, Tab1, $"Connection: {connection.Cid}");
                Line(text, Tab2, $"Initiator: {session.InitiatorName}");
                Line(text, Tab2, $"IP Address: {connection.Address}");
            }
        }

        return text.ToString();
    }

    /// <summary>Sessions in the layout of the I_T nexus lines of target show, with the target they belong to.</summary>
    public static string SessionList(AdmPayload payload, AdmRequest request)
    {
        var text = new StringBuilder();
        foreach (var session in Sessions(payload, request))
        {
            Line(text, "", $"Session: {session.Sid}");
            Line(text, Tab1, $"Target: {session.Tid}");
            Line(text, Tab1, $"Initiator: {session.InitiatorName} alias: {session.InitiatorAlias ?? "none"}");
            foreach (var connection in session.Connections)
            {
                Line(text, Tab1, $"Connection: {connection.Cid}");
                Line(text, Tab2, $"IP Address: {connection.Address}");
            }
        }

        return text.ToString();
    }

    private static IEnumerable<SessionInfo> Sessions(AdmPayload payload, AdmRequest request) =>
        (payload.Sessions ?? [])
            .Where(s => (request.Tid is null || s.Tid == request.Tid) && (request.Sid is null || s.Sid == request.Sid))
            .OrderBy(s => s.Tid)
            .ThenBy(s => s.Sid);

    /// <summary>tgt's tgt_stat_header and tgt_stat_line.</summary>
    public static string Statistics(AdmPayload payload)
    {
        var text = new StringBuilder();
        text.Append("tgt lun sid rd_subm(bytes,cmds) rd_done(bytes,cmds) wr_subm(bytes,cmds) wr_done(bytes,cmds) errs\n");
        foreach (var s in payload.Statistics ?? [])
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{s.Tid,3} {s.Lun,3} {s.Sid,3} {s.ReadSubmittedBytes,12} {s.ReadSubmittedCommands,6} {s.ReadDoneBytes,12} {s.ReadDoneCommands,6} {s.WriteSubmittedBytes,12} {s.WriteSubmittedCommands,6} {s.WriteDoneBytes,12} {s.WriteDoneCommands,6} {s.Errors,4}\n");
        }

        return text.ToString();
    }

    /// <summary>tgt's system_show, for what exists here: one driver, one backing store, one device type, discovery accounts.</summary>
    public static string SystemInfo(AdmPayload payload)
    {
        var configuration = payload.Configuration ?? ClusterConfiguration.Empty;
        var text = new StringBuilder();
        Line(text, "", "System:");
        Line(text, Tab1, "State: ready");
        Line(text, Tab1, "debug: off");
        Line(text, "", "LLDs:");
        Line(text, Tab1, "iscsi: ready");
        Line(text, "", "Backing stores:");
        Line(text, Tab1, LunDefinition.StoreBsType);
        Line(text, "", "Device types:");
        Line(text, Tab1, "disk");
        if (configuration.DiscoveryIncomingUsers.Count > 0 || configuration.DiscoveryOutgoingUser is not null)
        {
            Line(text, "", "Account information:");
            foreach (var user in configuration.DiscoveryIncomingUsers)
            {
                Line(text, Tab1, user);
            }

            if (configuration.DiscoveryOutgoingUser is { } outgoing)
            {
                Line(text, Tab1, $"{outgoing} (outgoing)");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The cluster as the answering node sees it: one line per node, then per LUN its owner and each replica. Not a tgt
    /// layout (tgt has no cluster); the same four-space levels.
    /// </summary>
    public static string Cluster(AdmPayload payload)
    {
        var text = new StringBuilder();
        if (payload.Cluster is not { } cluster)
        {
            return "";
        }

        var up = cluster.Nodes.Count(n => n.State == "up");
        Line(text, "", $"Cluster: {cluster.Nodes.Count} nodes, {up} up, {cluster.Majority} needed (answered by node-{cluster.Self})");
        foreach (var node in cluster.Nodes)
        {
            var sessions = node.Sessions is { } list ? $"{list.Count} session{(list.Count == 1 ? "" : "s")}" : "sessions unknown";
            Line(text, Tab1, $"{node.Name}: {node.State}, portal {node.Portal}, {sessions}");
            foreach (var session in node.Sessions ?? [])
            {
                Line(text, Tab2, $"tid {session.Tid} I_T nexus {session.Sid}: {session.InitiatorName} from {session.InitiatorAddress}");
            }
        }

        Line(text, "", "LUNs:");
        foreach (var lun in cluster.Luns)
        {
            var owner = lun.Owner is { } node ? $"owner node-{node}, epoch {lun.Epoch}, {lun.State}, committed {lun.CommittedIndex}" : lun.State;
            Line(text, Tab1, $"tid {lun.Tid} LUN {lun.Lun} (volume {lun.VolumeId:x}): {owner}");
            foreach (var replica in lun.Replicas)
            {
                // An absent replica's position is unknown until it answers; a catching-up one shows how far it has to go.
                var index = replica.MatchIndex < 0 ? "" : $", index {replica.MatchIndex}";
                var progress = replica switch
                {
                    { Health: "absent" } => "",
                    { EntriesBehind: { } entries, BytesLeft: >= 0 and var bytes } => $", {entries} entries and {bytes} bytes behind",
                    { EntriesBehind: > 0 and var entries } => $", {entries} entries behind",
                    _ => "",
                };
                Line(text, Tab2, $"replica node-{replica.Node}: {replica.Health}{index}{progress}");
            }
        }

        return text.ToString();
    }

    private static string YesNo(bool value) => value ? "Yes" : "No";

    private static void Line(StringBuilder text, string indent, string line) => text.Append(indent).Append(line).Append('\n');
}
