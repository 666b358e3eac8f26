using System.Globalization;
using IscsiCluster.Admin.Contracts.Editing;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.TargetsConf;

/// <summary>
/// Turns a targets.conf into the tgtadm requests tgt-admin --execute would send (scripts/tgt-admin add_targets,
/// process_options, add_backing_direct): a target per block (tid from controller_tid, else the next free one),
/// a LUN per store (explicit "lun", else the first free number from 1), ACL binds ("ALL" when the block binds
/// no initiator-address, as tgt-admin does), accounts created once then bound. Targets that already exist are
/// skipped, as tgt-admin skips them.
/// </summary>
internal static partial class TargetsConfPlanner
{
    private const string Driver = "iscsi";

    /// <summary>Per-LUN options that may also be given once for the whole target.</summary>
    private static readonly string[] StoreOptions = ["lun", "bs-type", "bsopts", "bsoflags", "block-size", "device-type", "vendor_id", "product_id", "product_rev"];

    /// <summary>tgt options with no meaning here: reported and skipped.</summary>
    private static readonly Dictionary<string, string> IgnoredOptions = new(StringComparer.Ordinal)
    {
        ["scsi_id"] = "a LUN's SCSI identity derives from its cluster-wide id",
        ["scsi_sn"] = "a LUN's SCSI identity derives from its cluster-wide id",
        ["write-cache"] = "writes are durable when acknowledged",
        ["mode_page"] = "mode pages are the SCSI layer's",
        ["params"] = "device-type parameters apply to tape and changer devices only",
        ["removable"] = "LUNs are fixed disks",
        ["online"] = "LUNs are online while the cluster serves them",
        ["readonly"] = "read-only LUNs are not served",
        ["sense_format"] = "sense data format is the SCSI layer's",
        ["path"] = "use backing-store",
        ["lbppbe"] = "block geometry comes from block-size",
        ["la_lba"] = "block geometry comes from block-size",
        ["optimal_xfer_gran"] = "transfer limits are the SCSI layer's",
        ["optimal_xfer_len"] = "transfer limits are the SCSI layer's",
        ["allow-in-use"] = "a backing store is copied, never shared",
    };

    /// <summary>Per-target iSCSI keys tgt-admin passes to "target update"; the node negotiates these itself.</summary>
    private static readonly HashSet<string> IscsiTuningKeys = new(StringComparer.Ordinal)
    {
        "MaxRecvDataSegmentLength", "MaxXmitDataSegmentLength", "HeaderDigest", "DataDigest", "InitialR2T", "MaxOutstandingR2T",
        "ImmediateData", "FirstBurstLength", "MaxBurstLength", "DataPDUInOrder", "DataSequenceInOrder", "ErrorRecoveryLevel",
        "IFMarker", "OFMarker", "DefaultTime2Wait", "DefaultTime2Retain", "OFMarkInt", "IFMarkInt", "MaxConnections",
    };

    public static bool TryPlan(TargetsConfDocument document, ClusterConfiguration current, out ExecutionPlan plan, out string error)
    {
        var state = new PlanState(current);
        plan = null!;
        if (!TryPlanGlobals(document.Globals, state, out error))
        {
            return false;
        }

        foreach (var target in MergeDuplicateBlocks(document.Targets))
        {
            if (!TryPlanTarget(target, state, out error))
            {
                return false;
            }
        }

        plan = new ExecutionPlan(state.Steps, state.Warnings, state.IgnoreErrors);
        return true;
    }

    private sealed class PlanState(ClusterConfiguration current)
    {
        public List<PlannedStep> Steps { get; } = [];

        public List<string> Warnings { get; } = [];

        public HashSet<string> Accounts { get; } = [.. current.Accounts.Select(a => a.User)];

        public HashSet<int> Tids { get; } = [.. current.Targets.Select(t => t.Tid)];

        public ClusterConfiguration Current { get; } = current;

        public bool IgnoreErrors { get; set; }

        public void Add(AdmRequest request, int line) => Steps.Add(new PlannedStep(request with { Lld = Driver }, line));

        public void Warn(int line, string message) => Warnings.Add($"line {line}: {message}");
    }

    private static bool TryPlanGlobals(IReadOnlyList<ConfDirective> globals, PlanState state, out string error)
    {
        error = "";
        foreach (var directive in globals)
        {
            switch (directive.Key)
            {
                case "default-driver" when directive.Value != Driver:
                    error = $"line {directive.Line}: default-driver {directive.Value}: only iscsi is served";
                    return false;
                case "default-driver":
                    break;
                case "ignore-errors":
                    state.IgnoreErrors = directive.Value == "yes";
                    break;
                case "control-port":
                    state.Warn(directive.Line, "control-port is ignored; give --control-port on the command line");
                    break;
                case "iSNS" or "iSNSServerIP" or "iSNSServerPort" or "iSNSAccessControl":
                    state.Warn(directive.Line, $"{directive.Key} is ignored: iSNS is not served");
                    break;
                case TargetsConfWriter.AccountDirective:
                    if (!TryAccount(directive, state, out _, out error))
                    {
                        return false;
                    }

                    break;
                case "incomingdiscoveryuser" or "outgoingdiscoveryuser":
                    if (!TryAccount(directive, state, out var user, out error))
                    {
                        return false;
                    }

                    state.Add(new AdmRequest(AdmMode.Account, AdmOp.Bind) { User = user, Outgoing = directive.Key == "outgoingdiscoveryuser" }, directive.Line);
                    break;
                default:
                    error = $"line {directive.Line}: unknown directive '{directive.Key}'";
                    return false;
            }
        }

        return true;
    }

    /// <summary>"USER SECRET": creates the account unless it exists already (tgt-admin's rule), and names it.</summary>
    private static bool TryAccount(ConfDirective directive, PlanState state, out string user, out string error)
    {
        error = "";
        var parts = directive.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        user = parts.Length > 0 ? parts[0] : "";
        if (parts.Length != 2)
        {
            error = $"line {directive.Line}: {directive.Key} needs a user and a password";
            return false;
        }

        if (state.Accounts.Add(user))
        {
            state.Add(new AdmRequest(AdmMode.Account, AdmOp.New) { User = user, Password = parts[1] }, directive.Line);
        }

        return true;
    }

    /// <summary>Config::General -MergeDuplicateBlocks: two blocks for one target name are one target.</summary>
    private static IEnumerable<ConfTarget> MergeDuplicateBlocks(IReadOnlyList<ConfTarget> targets) =>
        targets.GroupBy(t => t.Name, StringComparer.Ordinal)
            .Select(g => new ConfTarget(g.Key, [.. g.SelectMany(t => t.Directives)], [.. g.SelectMany(t => t.Stores)], g.First().Line));

    private static bool TryPlanTarget(ConfTarget target, PlanState state, out string error)
    {
        error = "";
        if (state.Current.FindTarget(target.Name) is not null)
        {
            state.Warn(target.Line, $"target {target.Name} already exists; skipped");
            return true;
        }

        if (!TryTid(target, state, out var tid, out error))
        {
            return false;
        }

        state.Add(new AdmRequest(AdmMode.Target, AdmOp.New) { Tid = tid, TargetName = target.Name }, target.Line);
        var defaults = new Dictionary<string, ConfDirective>(StringComparer.Ordinal);
        var binds = new List<PlannedStep>();
        var updates = new List<PlannedStep>();
        var bindAll = true;
        var outgoingSeen = false;
        foreach (var directive in target.Directives)
        {
            var key = directive.Key;
            if (StoreOptions.Contains(key))
            {
                defaults[key] = directive;
            }
            else if (key is "controller_tid" or "driver")
            {
                if (key == "driver" && directive.Value != Driver)
                {
                    error = $"line {directive.Line}: driver {directive.Value}: only iscsi is served";
                    return false;
                }
            }
            else if (key == "initiator-address")
            {
                bindAll = false;
                binds.Add(new PlannedStep(new AdmRequest(AdmMode.Target, AdmOp.Bind) { Tid = tid, InitiatorAddress = directive.Value }, directive.Line));
            }
            else if (key == TargetsConfWriter.AddressDefaultDirective)
            {
                bindAll = directive.Value == InitiatorAddress.All;
            }
            else if (key == "initiator-name")
            {
                binds.Add(new PlannedStep(new AdmRequest(AdmMode.Target, AdmOp.Bind) { Tid = tid, InitiatorName = directive.Value }, directive.Line));
            }
            else if (key is "incominguser" or "outgoinguser")
            {
                if (key == "outgoinguser" && outgoingSeen)
                {
                    state.Warn(directive.Line, "only one outgoinguser is allowed; this one is ignored");
                    continue;
                }

                outgoingSeen |= key == "outgoinguser";
                if (!TryAccount(directive, state, out var user, out error))
                {
                    return false;
                }

                binds.Add(new PlannedStep(new AdmRequest(AdmMode.Account, AdmOp.Bind) { Tid = tid, User = user, Outgoing = key == "outgoinguser" }, directive.Line));
            }
            else if (key is "TargetAlias" or "state")
            {
                updates.Add(new PlannedStep(new AdmRequest(AdmMode.Target, AdmOp.Update) { Tid = tid, Name = key, Value = directive.Value }, directive.Line));
            }
            else if (IscsiTuningKeys.Contains(key))
            {
                state.Warn(directive.Line, $"{key} is ignored: the node negotiates iSCSI keys from its own configuration");
            }
            else if (IgnoredOptions.TryGetValue(key, out var reason))
            {
                state.Warn(directive.Line, $"{key} is ignored: {reason}");
            }
            else
            {
                error = $"line {directive.Line}: unknown directive '{key}' in <target {target.Name}>";
                return false;
            }
        }

        foreach (var update in updates)
        {
            state.Add(update.Request, update.Line);
        }

        if (!TryPlanStores(target, tid, defaults, state, out error))
        {
            return false;
        }

        if (bindAll)
        {
            state.Add(new AdmRequest(AdmMode.Target, AdmOp.Bind) { Tid = tid, InitiatorAddress = InitiatorAddress.All }, target.Line);
        }

        foreach (var bind in binds)
        {
            state.Add(bind.Request, bind.Line);
        }

        return true;
    }

    private static bool TryTid(ConfTarget target, PlanState state, out int tid, out string error)
    {
        error = "";
        var explicitTid = target.Directives.LastOrDefault(d => d.Key == "controller_tid");
        if (explicitTid is null)
        {
            tid = state.Tids.Count == 0 ? 1 : state.Tids.Max() + 1;
        }
        else if (!int.TryParse(explicitTid.Value, NumberStyles.None, CultureInfo.InvariantCulture, out tid) || tid == 0)
        {
            error = $"line {explicitTid.Line}: controller_tid {explicitTid.Value}: use a number of 1 or more";
            return false;
        }

        if (!state.Tids.Add(tid))
        {
            error = $"line {explicitTid?.Line ?? target.Line}: tid {tid} of {target.Name} is already taken";
            return false;
        }

        return true;
    }
}
