using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.Contracts.Editing;

/// <summary>
/// Applies one tgtadm request to a configuration: a pure function with tgt 1.0.85's rules and messages
/// (usr/target.c, usr/mgmt.c). Read-only operations (show, stat) and the live ones (session and
/// connection delete) are validated here and left unchanged; the node supplies their data or action.
/// The editor is split by mode: <c>ConfigurationEditor.Target.cs</c>, <c>.LogicalUnit.cs</c>, <c>.Account.cs</c>.
/// </summary>
public static partial class ConfigurationEditor
{
    /// <summary>The only low-level driver served (tgt also knows "iser").</summary>
    public const string IscsiDriver = "iscsi";

    public static EditResult Apply(ClusterConfiguration current, AdmRequest request, EditContext context)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (request.Lld is not null && request.Lld != IscsiDriver)
        {
            return EditResult.Refused(current, AdmError.NoDriver, $"--lld {request.Lld}");
        }

        return request.Mode switch
        {
            AdmMode.Target => ApplyTarget(current, request, context),
            AdmMode.LogicalUnit => ApplyLogicalUnit(current, request, context),
            AdmMode.Account => ApplyAccount(current, request, context),
            AdmMode.Session or AdmMode.Connection => ApplyLive(current, request),
            AdmMode.System when request.Op is AdmOp.Show or AdmOp.Stat => EditResult.Unchanged(current),
            AdmMode.Cluster when request.Op is AdmOp.Show => EditResult.Unchanged(current),
            _ => Unsupported(current, request),
        };
    }

    /// <summary>Session and connection modes act on live state: check the ids here, the node does the rest.</summary>
    private static EditResult ApplyLive(ClusterConfiguration current, AdmRequest request)
    {
        switch (request.Op)
        {
            case AdmOp.Show or AdmOp.Stat:
                return request.Tid is { } shownTid && current.FindTarget(shownTid) is null
                    ? EditResult.Refused(current, AdmError.NoTarget, $"tid {shownTid}")
                    : EditResult.Unchanged(current);
            case AdmOp.Delete:
                if (!TryFindTarget(current, request, out _, out var refusal))
                {
                    return refusal;
                }

                if (request.Sid is null)
                {
                    return Required(current, "--sid");
                }

                return request.Mode == AdmMode.Connection && request.Cid is null
                    ? Required(current, "--cid")
                    : EditResult.Unchanged(current);
            default:
                return Unsupported(current, request);
        }
    }

    private static bool TryFindTarget(ClusterConfiguration current, AdmRequest request, out TargetDefinition target, out EditResult refusal)
    {
        target = null!;
        refusal = null!;
        if (request.Tid is not { } tid)
        {
            refusal = Required(current, "--tid");
            return false;
        }

        if (tid == 0)
        {
            refusal = EditResult.Refused(current, AdmError.ReservedTid);
            return false;
        }

        var found = current.FindTarget(tid);
        if (found is null)
        {
            refusal = EditResult.Refused(current, AdmError.NoTarget, $"tid {tid}");
            return false;
        }

        target = found;
        return true;
    }

    private static EditResult Required(ClusterConfiguration current, string option) =>
        EditResult.Refused(current, AdmError.InvalidRequest, $"{option} is required");

    private static EditResult Unsupported(ClusterConfiguration current, AdmRequest request) =>
        EditResult.Refused(
            current,
            AdmError.UnsupportedOperation,
            $"--op {AdmNames.OpName(request.Op)} in --mode {AdmNames.ModeName(request.Mode)}");
}
