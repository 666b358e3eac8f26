using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.CommandLine;

/// <summary>
/// Which options each mode and op allow and require, after tgtadm's verify_mode_params tables (usr/tgtadm.c),
/// with --params allowed on show (show-secrets=1) and the connection ids on session and connection modes.
/// </summary>
internal static class ModeRules
{
    /// <summary>Options every request may carry.</summary>
    private static readonly OptionSpec[] Common = [Options.Lld, Options.Mode, Options.Op, Options.ControlPort, Options.Debug, Options.Output];

    private static readonly Dictionary<(AdmMode, AdmOp), OptionSpec[]> Allowed = new()
    {
        [(AdmMode.Target, AdmOp.New)] = [Options.Tid, Options.TargetName],
        [(AdmMode.Target, AdmOp.Delete)] = [Options.Tid, Options.Force],
        [(AdmMode.Target, AdmOp.Show)] = [Options.Tid, Options.Params],
        [(AdmMode.Target, AdmOp.Stat)] = [Options.Tid],
        [(AdmMode.Target, AdmOp.Bind)] = [Options.Tid, Options.InitiatorAddress, Options.InitiatorName],
        [(AdmMode.Target, AdmOp.Unbind)] = [Options.Tid, Options.InitiatorAddress, Options.InitiatorName],
        [(AdmMode.Target, AdmOp.Update)] = [Options.Tid, Options.Name, Options.Value],
        [(AdmMode.Account, AdmOp.New)] = [Options.User, Options.Password],
        [(AdmMode.Account, AdmOp.Show)] = [Options.Params],
        [(AdmMode.Account, AdmOp.Delete)] = [Options.User],
        [(AdmMode.Account, AdmOp.Bind)] = [Options.Tid, Options.User, Options.Outgoing],
        [(AdmMode.Account, AdmOp.Unbind)] = [Options.Tid, Options.User, Options.Outgoing],
        [(AdmMode.LogicalUnit, AdmOp.New)] =
            [Options.Tid, Options.Lun, Options.BackingStore, Options.BsType, Options.BsOpts, Options.BsOFlags, Options.BlockSize, Options.DeviceType],
        [(AdmMode.LogicalUnit, AdmOp.Delete)] = [Options.Tid, Options.Lun],
        [(AdmMode.LogicalUnit, AdmOp.Stat)] = [Options.Tid, Options.Lun],
        [(AdmMode.LogicalUnit, AdmOp.Update)] = [Options.Tid, Options.Lun, Options.Params, Options.Force],
        [(AdmMode.Session, AdmOp.Show)] = [Options.Tid, Options.Sid],
        [(AdmMode.Session, AdmOp.Stat)] = [Options.Tid, Options.Sid],
        [(AdmMode.Session, AdmOp.Delete)] = [Options.Tid, Options.Sid],
        [(AdmMode.Connection, AdmOp.Show)] = [Options.Tid, Options.Sid, Options.Cid],
        [(AdmMode.Connection, AdmOp.Stat)] = [Options.Tid, Options.Sid, Options.Cid],
        [(AdmMode.Connection, AdmOp.Delete)] = [Options.Tid, Options.Sid, Options.Cid],
        [(AdmMode.System, AdmOp.Show)] = [],
        [(AdmMode.System, AdmOp.Stat)] = [],
        [(AdmMode.Cluster, AdmOp.Show)] = [],
    };

    private static readonly Dictionary<(AdmMode, AdmOp), OptionSpec[]> Required = new()
    {
        [(AdmMode.Target, AdmOp.New)] = [Options.Tid, Options.TargetName],
        [(AdmMode.Target, AdmOp.Delete)] = [Options.Tid],
        [(AdmMode.Target, AdmOp.Stat)] = [Options.Tid],
        [(AdmMode.Target, AdmOp.Bind)] = [Options.Tid],
        [(AdmMode.Target, AdmOp.Unbind)] = [Options.Tid],
        [(AdmMode.Target, AdmOp.Update)] = [Options.Tid, Options.Name, Options.Value],
        [(AdmMode.Account, AdmOp.New)] = [Options.User, Options.Password],
        [(AdmMode.Account, AdmOp.Delete)] = [Options.User],
        [(AdmMode.Account, AdmOp.Bind)] = [Options.User],
        [(AdmMode.Account, AdmOp.Unbind)] = [Options.User],
        [(AdmMode.LogicalUnit, AdmOp.New)] = [Options.Tid, Options.Lun],
        [(AdmMode.LogicalUnit, AdmOp.Delete)] = [Options.Tid, Options.Lun],
        [(AdmMode.LogicalUnit, AdmOp.Stat)] = [Options.Tid, Options.Lun],
        [(AdmMode.LogicalUnit, AdmOp.Update)] = [Options.Tid, Options.Lun, Options.Params],
        [(AdmMode.Session, AdmOp.Delete)] = [Options.Tid, Options.Sid],
        [(AdmMode.Connection, AdmOp.Delete)] = [Options.Tid, Options.Sid, Options.Cid],
    };

    public static bool TryCheck(AdmMode mode, AdmOp op, IReadOnlyDictionary<OptionSpec, string?> given, out string error)
    {
        error = "";
        var modeName = AdmNames.ModeName(mode);
        if (!Allowed.TryGetValue((mode, op), out var allowed))
        {
            error = $"operation {AdmNames.OpName(op)} not supported in {modeName} mode";
            return false;
        }

        var stray = given.Keys.FirstOrDefault(o => !Common.Contains(o) && !allowed.Contains(o));
        if (stray is not null)
        {
            error = $"{modeName} mode: option '--{stray.Long}' is not allowed with --op {AdmNames.OpName(op)}";
            return false;
        }

        var missing = Required.GetValueOrDefault((mode, op), []).FirstOrDefault(o => !given.ContainsKey(o));
        if (missing is not null)
        {
            error = $"--{missing.Long} is required for --mode {modeName} --op {AdmNames.OpName(op)}";
            return false;
        }

        if (mode is AdmMode.Target or AdmMode.LogicalUnit && given.GetValueOrDefault(Options.Tid) == "0")
        {
            error = "--tid cannot be 0 (it is reserved)";
            return false;
        }

        if (mode == AdmMode.Target && op is AdmOp.Bind or AdmOp.Unbind
            && !given.ContainsKey(Options.InitiatorAddress) && !given.ContainsKey(Options.InitiatorName))
        {
            error = $"{AdmNames.OpName(op)} requires --initiator-address or --initiator-name";
            return false;
        }

        return true;
    }
}
