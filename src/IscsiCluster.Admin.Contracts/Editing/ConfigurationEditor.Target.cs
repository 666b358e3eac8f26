using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.Contracts.Editing;

public static partial class ConfigurationEditor
{
    /// <summary>RFC 7143 4.2.7.1: an iSCSI name is at most 223 bytes.</summary>
    public const int MaxTargetNameLength = 223;

    /// <summary>RFC 7143 13.6/13.7: an alias is human-readable text; we keep it under 255 bytes like other text values.</summary>
    public const int MaxAliasLength = 255;

    /// <summary>The target parameter that sets the state (tgt's tgt_set_target_state).</summary>
    public const string StateParameter = "state";

    /// <summary>The target parameter that sets the alias reported in the TargetAlias key at login.</summary>
    public const string AliasParameter = "TargetAlias";

    /// <summary>Parameters tgt's iscsi driver accepts in target update that this cluster does not configure per target.</summary>
    private static readonly HashSet<string> TgtOnlyTargetParameters = new(StringComparer.Ordinal)
    {
        "MaxRecvDataSegmentLength", "MaxXmitDataSegmentLength", "HeaderDigest", "DataDigest", "InitialR2T",
        "MaxOutstandingR2T", "ImmediateData", "FirstBurstLength", "MaxBurstLength", "DataPDUInOrder",
        "DataSequenceInOrder", "ErrorRecoveryLevel", "IFMarker", "OFMarker", "DefaultTime2Wait", "DefaultTime2Retain",
        "OFMarkInt", "IFMarkInt", "MaxConnections", "RDMAExtensions", "TargetRecvDataSegmentLength",
        "InitiatorRecvDataSegmentLength", "MaxOutstandingUnexpectedPDUs", "MaxQueueCmd", "nop_count", "nop_interval",
        "RedirectAddress", "RedirectPort", "RedirectReason", "RedirectCallback",
    };

    private static EditResult ApplyTarget(ClusterConfiguration current, AdmRequest request, EditContext context) =>
        request.Op switch
        {
            AdmOp.New => NewTarget(current, request),
            AdmOp.Delete => DeleteTarget(current, request, context),
            AdmOp.Show or AdmOp.Stat => request.Tid is { } tid && current.FindTarget(tid) is null
                ? EditResult.Refused(current, AdmError.NoTarget, $"tid {tid}")
                : EditResult.Unchanged(current),
            AdmOp.Update => UpdateTarget(current, request),
            AdmOp.Bind => BindInitiator(current, request),
            AdmOp.Unbind => UnbindInitiator(current, request),
            _ => Unsupported(current, request),
        };

    private static EditResult NewTarget(ClusterConfiguration current, AdmRequest request)
    {
        if (request.Tid is not { } tid)
        {
            return Required(current, "--tid");
        }

        if (tid == 0)
        {
            return EditResult.Refused(current, AdmError.ReservedTid);
        }

        if (tid < 0)
        {
            return EditResult.Refused(current, AdmError.InvalidRequest, $"--tid {tid} is negative");
        }

        if (request.TargetName is not { } name)
        {
            return Required(current, "--targetname");
        }

        if (!IsValidTargetName(name))
        {
            return EditResult.Refused(current, AdmError.InvalidTargetName, name);
        }

        if (current.FindTarget(tid) is not null)
        {
            return EditResult.Refused(current, AdmError.TargetExists, $"tid {tid} is taken");
        }

        if (current.FindTarget(name) is { } sameName)
        {
            return EditResult.Refused(current, AdmError.TargetExists, $"{name} is target {sameName.Tid}");
        }

        return EditResult.Updated(current.WithTarget(TargetDefinition.Create(tid, name)));
    }

    /// <summary>tgt's rule (usr/target.c tgt_target_create): letters, digits, '.', '-' and ':'; plus the RFC length limit.</summary>
    public static bool IsValidTargetName(string name) =>
        name.Length is > 0 and <= MaxTargetNameLength
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':');

    private static EditResult DeleteTarget(ClusterConfiguration current, AdmRequest request, EditContext context)
    {
        if (!TryFindTarget(current, request, out var target, out var refusal))
        {
            return refusal;
        }

        // tgt_target_destroy: a target with I_T nexuses is refused unless forced; the node ends the sessions.
        if (!request.Force && context.TargetsWithSessions.Contains(target.Tid))
        {
            return EditResult.Refused(current, AdmError.TargetActive, $"tid {target.Tid}");
        }

        return EditResult.Updated(current.WithoutTarget(target.Tid));
    }

    private static EditResult UpdateTarget(ClusterConfiguration current, AdmRequest request)
    {
        if (!TryFindTarget(current, request, out var target, out var refusal))
        {
            return refusal;
        }

        if (request.Name is not { } name || request.Value is not { } value)
        {
            return EditResult.Refused(current, AdmError.InvalidRequest, "--name and --value are required");
        }

        switch (name)
        {
            case StateParameter:
                return value switch
                {
                    "ready" => EditResult.Updated(current.WithTarget(target with { State = TargetState.Ready })),
                    "offline" => EditResult.Updated(current.WithTarget(target with { State = TargetState.Offline })),
                    _ => EditResult.Refused(current, AdmError.InvalidRequest, $"state must be ready or offline, not '{value}'"),
                };
            case AliasParameter:
                if (value.Length > MaxAliasLength || value.Any(char.IsControl))
                {
                    return EditResult.Refused(current, AdmError.InvalidRequest, $"an alias is printable text of at most {MaxAliasLength} characters");
                }

                return EditResult.Updated(current.WithTarget(target with { Alias = value.Length == 0 ? null : value }));
            default:
                return TgtOnlyTargetParameters.Contains(name)
                    ? EditResult.Refused(current, AdmError.UnsupportedOperation, $"{name} is not configurable per target here; {SupportedTargetParameters}")
                    : EditResult.Refused(current, AdmError.UnknownParam, $"{name}; {SupportedTargetParameters}");
        }
    }

    private const string SupportedTargetParameters = "target update supports --name state (ready|offline) and --name TargetAlias";

    private static EditResult BindInitiator(ClusterConfiguration current, AdmRequest request)
    {
        if (!TryFindTarget(current, request, out var target, out var refusal))
        {
            return refusal;
        }

        if (request.InitiatorAddress is null && request.InitiatorName is null)
        {
            return EditResult.Refused(current, AdmError.InvalidRequest, "--initiator-address or --initiator-name is required");
        }

        // tgt's target_mgmt binds the address first, then the name; here both happen or neither.
        if (request.InitiatorAddress is { } address)
        {
            if (!InitiatorAddress.IsValid(address))
            {
                return EditResult.Refused(current, AdmError.InvalidInitiatorAddress, address);
            }

            if (target.InitiatorAddresses.Contains(address))
            {
                return EditResult.Refused(current, AdmError.AclExists, address);
            }

            target = target with { InitiatorAddresses = [.. target.InitiatorAddresses, address] };
        }

        if (request.InitiatorName is { } name)
        {
            if (name.Length == 0 || name.Any(char.IsWhiteSpace))
            {
                return EditResult.Refused(current, AdmError.InvalidRequest, "an initiator name has no spaces");
            }

            if (target.InitiatorNames.Contains(name))
            {
                return EditResult.Refused(current, AdmError.AclExists, name);
            }

            target = target with { InitiatorNames = [.. target.InitiatorNames, name] };
        }

        return EditResult.Updated(current.WithTarget(target));
    }

    private static EditResult UnbindInitiator(ClusterConfiguration current, AdmRequest request)
    {
        if (!TryFindTarget(current, request, out var target, out var refusal))
        {
            return refusal;
        }

        if (request.InitiatorAddress is null && request.InitiatorName is null)
        {
            return EditResult.Refused(current, AdmError.InvalidRequest, "--initiator-address or --initiator-name is required");
        }

        if (request.InitiatorAddress is { } address)
        {
            if (!target.InitiatorAddresses.Contains(address))
            {
                return EditResult.Refused(current, AdmError.AclNotFound, address);
            }

            target = target with { InitiatorAddresses = [.. target.InitiatorAddresses.Where(a => a != address)] };
        }

        if (request.InitiatorName is { } name)
        {
            if (!target.InitiatorNames.Contains(name))
            {
                return EditResult.Refused(current, AdmError.AclNotFound, name);
            }

            target = target with { InitiatorNames = [.. target.InitiatorNames.Where(n => n != name)] };
        }

        return EditResult.Updated(current.WithTarget(target));
    }
}
