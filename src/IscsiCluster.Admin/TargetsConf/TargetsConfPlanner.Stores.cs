using System.Globalization;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.TargetsConf;

/// <summary>The logical units of a target: LUN numbers as tgt-admin's find_next_lun gives them, one request per store.</summary>
internal static partial class TargetsConfPlanner
{
    /// <summary>INQUIRY strings and their SPC-4 lengths; tgt truncates longer values, so does --execute.</summary>
    private static readonly (string Key, int MaxLength)[] InquiryOptions = [("vendor_id", 8), ("product_id", 16), ("product_rev", 4)];

    private static bool TryPlanStores(ConfTarget target, int tid, Dictionary<string, ConfDirective> defaults, PlanState state, out string error)
    {
        error = "";
        if (defaults.ContainsKey("lun") && target.Stores.Count > 1)
        {
            error = $"line {defaults["lun"].Line}: a target-level lun needs exactly one backing store";
            return false;
        }

        var luns = new List<(ConfStore Store, ulong Lun)>();
        var reserved = new HashSet<ulong>();
        foreach (var store in target.Stores)
        {
            var lunDirective = store.Directives.LastOrDefault(d => d.Key == "lun") ?? defaults.GetValueOrDefault("lun");
            if (lunDirective is not null)
            {
                if (!ulong.TryParse(lunDirective.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    error = $"line {lunDirective.Line}: lun {lunDirective.Value} is not a number";
                    return false;
                }

                reserved.Add(number);
            }
        }

        ulong next = 1;
        foreach (var store in target.Stores)
        {
            var lunDirective = store.Directives.LastOrDefault(d => d.Key == "lun") ?? defaults.GetValueOrDefault("lun");
            ulong lun;
            if (lunDirective is not null)
            {
                lun = ulong.Parse(lunDirective.Value, CultureInfo.InvariantCulture);
            }
            else
            {
                while (reserved.Contains(next))
                {
                    next++;
                }

                lun = next;
                reserved.Add(lun);
            }

            luns.Add((store, lun));
        }

        foreach (var (store, lun) in luns)
        {
            if (!TryPlanStore(store, tid, lun, defaults, state, out error))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryPlanStore(ConfStore store, int tid, ulong lun, Dictionary<string, ConfDirective> defaults, PlanState state, out string error)
    {
        error = "";
        var options = new Dictionary<string, ConfDirective>(defaults, StringComparer.Ordinal);
        foreach (var directive in store.Directives)
        {
            if (StoreOptions.Contains(directive.Key))
            {
                options[directive.Key] = directive;
            }
            else if (IgnoredOptions.TryGetValue(directive.Key, out var reason))
            {
                state.Warn(directive.Line, $"{directive.Key} is ignored: {reason}");
            }
            else
            {
                error = $"line {directive.Line}: unknown directive '{directive.Key}' in <{store.Kind} {store.Path}>";
                return false;
            }
        }

        if (store.Kind == TargetsConfParser.DirectStore)
        {
            state.Warn(store.Line, $"direct-store {store.Path} is imported like backing-store (its INQUIRY data is not copied)");
        }

        int? blockSize = null;
        if (options.TryGetValue("block-size", out var blockSizeDirective))
        {
            if (!int.TryParse(blockSizeDirective.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                error = $"line {blockSizeDirective.Line}: block-size {blockSizeDirective.Value} is not a number";
                return false;
            }

            blockSize = parsed;
        }

        var thin = store.Path == LunDefinition.ThinDescription;
        state.Add(
            new AdmRequest(AdmMode.LogicalUnit, AdmOp.New)
            {
                Tid = tid,
                Lun = lun,
                BackingStore = thin ? null : store.Path,
                BsType = options.GetValueOrDefault("bs-type")?.Value,
                BsOpts = options.GetValueOrDefault("bsopts")?.Value,
                BsOFlags = options.GetValueOrDefault("bsoflags")?.Value,
                BlockSize = blockSize,
                DeviceType = options.GetValueOrDefault("device-type")?.Value,
            },
            store.Line);

        var inquiry = new List<string>();
        foreach (var (key, maxLength) in InquiryOptions)
        {
            if (options.TryGetValue(key, out var directive))
            {
                var value = directive.Value;
                if (value.Length > maxLength)
                {
                    state.Warn(directive.Line, $"{key} '{value}' is cut to {maxLength} characters, as tgt does");
                    value = value[..maxLength];
                }

                inquiry.Add($"{key}={value}");
            }
        }

        if (inquiry.Count > 0)
        {
            state.Add(new AdmRequest(AdmMode.LogicalUnit, AdmOp.Update) { Tid = tid, Lun = lun, Params = string.Join(',', inquiry) }, store.Line);
        }

        return true;
    }
}
