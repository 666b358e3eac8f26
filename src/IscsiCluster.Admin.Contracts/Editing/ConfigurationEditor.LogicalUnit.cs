using System.Numerics;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.Contracts.Editing;

public static partial class ConfigurationEditor
{
    /// <summary>The bsopts key that creates a thin LUN of that size, and the update params key that resizes one.</summary>
    public const string SizeOption = "size";

    /// <summary>The only device type served (tgt's --device-type default).</summary>
    public const string DiskDeviceType = "disk";

    private const int MinBlockSize = 512;
    private const int MaxBlockSize = 4096;

    /// <summary>bstype names accepted: ours, and tgt's file back ends, which here mean "import this file".</summary>
    private static readonly HashSet<string> AcceptedBsTypes = new(StringComparer.Ordinal) { LunDefinition.StoreBsType, "rdwr", "aio" };

    /// <summary>tgt's bsoflags (usr/util.c str_to_open_flags); every acknowledged write is already durable here, so both hold.</summary>
    private static readonly HashSet<string> AcceptedBsOFlags = new(StringComparer.Ordinal) { "sync", "direct" };

    /// <summary>
    /// logicalunit update --params keys: INQUIRY identification strings (SPC-4 6.6.2) with their maximum lengths.
    /// scsi_id and scsi_sn are refused: a LUN's identity derives from its cluster-wide id (ARCHITECTURE, Identity).
    /// </summary>
    private static readonly Dictionary<string, int> InquiryParameters = new(StringComparer.Ordinal)
    {
        ["vendor_id"] = 8,
        ["product_id"] = 16,
        ["product_rev"] = 4,
    };

    private static readonly HashSet<string> TgtOnlyLunParameters = new(StringComparer.Ordinal)
    {
        "scsi_id", "scsi_sn", "removable", "sense_format", "online", "path", "mode_page", "readonly",
        "thin_provisioning", "lbppbe", "la_lba", "optimal_xfer_gran", "optimal_xfer_len",
    };

    private static EditResult ApplyLogicalUnit(ClusterConfiguration current, AdmRequest request, EditContext context)
    {
        if (request.Op is not (AdmOp.New or AdmOp.Delete or AdmOp.Update or AdmOp.Stat))
        {
            return Unsupported(current, request);
        }

        if (!TryFindTarget(current, request, out var target, out var refusal))
        {
            return refusal;
        }

        if (request.Lun is not { } lun)
        {
            return Required(current, "--lun");
        }

        if (request.Op == AdmOp.Stat)
        {
            return lun == 0 || target.FindLun(lun) is not null
                ? EditResult.Unchanged(current)
                : EditResult.Refused(current, AdmError.NoLun, $"lun {lun} of tid {target.Tid}");
        }

        if (lun == 0)
        {
            return EditResult.Refused(current, AdmError.ReservedLun);
        }

        return request.Op switch
        {
            AdmOp.New => NewLun(current, target, lun, request, context),
            AdmOp.Delete => target.FindLun(lun) is null
                ? EditResult.Refused(current, AdmError.NoLun, $"lun {lun} of tid {target.Tid}")
                : EditResult.Updated(current.WithTarget(target with { Luns = [.. target.Luns.Where(l => l.Lun != lun)] })),
            _ => UpdateLun(current, target, lun, request),
        };
    }

    private static EditResult NewLun(ClusterConfiguration current, TargetDefinition target, ulong lun, AdmRequest request, EditContext context)
    {
        if (target.FindLun(lun) is not null)
        {
            return EditResult.Refused(current, AdmError.LunExists, $"lun {lun} of tid {target.Tid}");
        }

        if (request.DeviceType is { } deviceType && deviceType != DiskDeviceType)
        {
            return EditResult.Refused(current, AdmError.UnsupportedOperation, $"--device-type {deviceType}: only disk is served");
        }

        if (request.BsType is { } bsType && !AcceptedBsTypes.Contains(bsType))
        {
            return EditResult.Refused(current, AdmError.UnsupportedOperation, $"--bstype {bsType}: LUNs live in the cluster's rocksdb store (use rocksdb, or -b PATH to import)");
        }

        if (request.BsOFlags is { } flags && !flags.Split(':').All(AcceptedBsOFlags.Contains))
        {
            return EditResult.Refused(current, AdmError.InvalidRequest, $"--bsoflags {flags}: use sync, direct or sync:direct");
        }

        var blockSize = request.BlockSize ?? LunDefinition.DefaultBlockSize;
        if (blockSize is < MinBlockSize or > MaxBlockSize || !BitOperations.IsPow2(blockSize))
        {
            return EditResult.Refused(current, AdmError.InvalidRequest, $"--blocksize {blockSize}: use 512, 1024, 2048 or 4096");
        }

        if (!TryParseBsOpts(request.BsOpts, out var thinSize, out var bsOptsError))
        {
            return EditResult.Refused(current, bsOptsError.Error, bsOptsError.Detail);
        }

        LunDefinition definition;
        if (request.BackingStore is { } path)
        {
            if (thinSize is not null)
            {
                return EditResult.Refused(current, AdmError.InvalidRequest, "give either -b PATH (import) or --bsopts size= (thin), not both");
            }

            if (context.BackingStoreSizeBytes is not { } fileSize)
            {
                return EditResult.Refused(current, AdmError.BackingStoreUnavailable, path);
            }

            // Like tgt (size >> blk_shift), a trailing partial block is not exposed.
            var usable = fileSize / blockSize * blockSize;
            if (usable <= 0)
            {
                return EditResult.Refused(current, AdmError.InvalidSize, $"{path} holds less than one {blockSize}-byte block");
            }

            definition = new LunDefinition(lun, usable, blockSize, path, LunDefinition.StoreBsType, LunSource.Imported);
        }
        else
        {
            if (thinSize is not { } size)
            {
                return EditResult.Refused(current, AdmError.InvalidSize, "-b PATH or --bsopts size=N is required");
            }

            if (size <= 0 || size % blockSize != 0)
            {
                return EditResult.Refused(current, AdmError.InvalidSize, $"size={request.BsOpts} with --blocksize {blockSize}");
            }

            definition = new LunDefinition(lun, size, blockSize, LunDefinition.ThinDescription, LunDefinition.StoreBsType, LunSource.Thin);
        }

        return EditResult.Updated(current.WithTarget(target.WithLun(definition)));
    }

    /// <summary>bsopts is "key=value" pairs separated by ';' (tgt's convention) or ','; only size= is known.</summary>
    private static bool TryParseBsOpts(string? bsOpts, out long? size, out (AdmError Error, string Detail) error)
    {
        size = null;
        error = default;
        if (bsOpts is null)
        {
            return true;
        }

        foreach (var pair in bsOpts.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals];
            if (key != SizeOption)
            {
                error = (AdmError.UnknownParam, $"--bsopts {key}: only size=N[K|M|G|T] is known");
                return false;
            }

            if (equals < 0 || !SizeText.TryParse(pair[(equals + 1)..], out var bytes))
            {
                error = (AdmError.InvalidSize, pair);
                return false;
            }

            size = bytes;
        }

        return true;
    }

    private static EditResult UpdateLun(ClusterConfiguration current, TargetDefinition target, ulong lun, AdmRequest request)
    {
        if (target.FindLun(lun) is not { } unit)
        {
            return EditResult.Refused(current, AdmError.NoLun, $"lun {lun} of tid {target.Tid}");
        }

        if (string.IsNullOrEmpty(request.Params))
        {
            return Required(current, "--params");
        }

        var original = unit;
        foreach (var pair in request.Params.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? "" : pair[(equals + 1)..];
            if (key == SizeOption)
            {
                if (!TryParseNewSize(unit, value, out var size, out var sizeError))
                {
                    return EditResult.Refused(current, AdmError.InvalidSize, sizeError);
                }

                unit = unit with { SizeBytes = size };
                continue;
            }

            if (!InquiryParameters.TryGetValue(key, out var maxLength))
            {
                return TgtOnlyLunParameters.Contains(key)
                    ? EditResult.Refused(current, AdmError.UnsupportedOperation, $"{key}; {SupportedLunParameters}")
                    : EditResult.Refused(current, AdmError.UnknownParam, $"{key}; {SupportedLunParameters}");
            }

            if (value.Length is 0 || value.Length > maxLength || !value.All(c => c is >= ' ' and <= '~'))
            {
                return EditResult.Refused(current, AdmError.InvalidRequest, $"{key} is 1 to {maxLength} printable ASCII characters");
            }

            unit = key switch
            {
                "vendor_id" => unit with { VendorId = value },
                "product_id" => unit with { ProductId = value },
                _ => unit with { ProductRevision = value },
            };
        }

        // SBC-3 4.6: a resize reaches initiators as CAPACITY DATA HAS CHANGED; growing only adds zeros,
        // shrinking loses the blocks past the new end, so it needs the administrator's --force.
        if (unit.SizeBytes < original.SizeBytes && !request.Force)
        {
            return EditResult.Refused(
                current,
                AdmError.ShrinkNeedsForce,
                $"lun {lun} of tid {target.Tid} from {SizeText.Format(original.SizeBytes)} to {SizeText.Format(unit.SizeBytes)}");
        }

        return EditResult.Updated(current.WithTarget(target.WithLun(unit)));
    }

    /// <summary>A LUN's new size: units as in --bsopts size=, a positive whole number of the LUN's blocks.</summary>
    private static bool TryParseNewSize(LunDefinition unit, string value, out long size, out string error)
    {
        error = "";
        if (!SizeText.TryParse(value, out size))
        {
            error = $"size={value}";
            return false;
        }

        if (size <= 0 || size % unit.BlockSize != 0)
        {
            error = $"size={value}: lun {unit.Lun} needs a positive multiple of its {unit.BlockSize}-byte blocks";
            return false;
        }

        return true;
    }

    private const string SupportedLunParameters = "logicalunit update supports --params size=..,vendor_id=..,product_id=..,product_rev=..";
}
