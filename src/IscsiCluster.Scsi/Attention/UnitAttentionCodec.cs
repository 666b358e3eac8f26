using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Attention;

/// <summary>
/// The saved form of the unit attentions owed to I_T nexuses (<see cref="UnitAttentionPersistence"/>): versioned UTF-8
/// JSON, oldest nexus first, each nexus named as the persistent reservations name it (initiator port, target, relative
/// target port id; <see cref="NexusKey"/>) and each condition by its ASC/ASCQ (SPC-4 annex D), which outlive any
/// renumbering of the code's own names:
/// <code>
/// {"version":1,"nexuses":[{"initiatorPort":"iqn.x,i,0x1","target":"iqn.t","relativeTargetPortId":2,"targetPortGroup":2,
///   "attentions":["2A/05","2A/01"]}]}
/// </code>
/// </summary>
internal static class UnitAttentionCodec
{
    /// <summary>The format version this codec writes and reads.</summary>
    public const int Version = 1;

    // The kept conditions by ASC/ASCQ (ASC in the high byte).
    private static readonly Dictionary<int, SenseReason> KeptByCode =
        Enum.GetValues<SenseReason>().Where(NexusState.IsKept).ToDictionary(r => (SenseTable.Lookup(r).Asc << 8) | SenseTable.Lookup(r).Ascq);

    /// <summary>Encodes <paramref name="entries"/>.</summary>
    public static byte[] Encode(IReadOnlyList<KeptAttentions> entries)
    {
        var saved = new SavedAttentions(Version, [.. entries.Select(e => new SavedNexusAttentions(
            e.Nexus.InitiatorPortName, e.Nexus.TargetName, e.Nexus.RelativeTargetPortId, e.TargetPortGroup, [.. e.Reasons.Select(Code)]))]);
        return JsonSerializer.SerializeToUtf8Bytes(saved, AttentionJsonContext.Default.SavedAttentions);
    }

    /// <summary>
    /// Decodes saved entries; false (with none) for anything that is not a well-formed table of this version. A
    /// condition this code does not keep is skipped: a later version may keep more.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, out List<KeptAttentions> entries)
    {
        entries = [];
        SavedAttentions? saved;
        try
        {
            saved = JsonSerializer.Deserialize(data, AttentionJsonContext.Default.SavedAttentions);
        }
        catch (JsonException)
        {
            return false;
        }

        if (saved is not { Version: Version, Nexuses: { } list }
            || list.Any(n => n is null || string.IsNullOrEmpty(n.InitiatorPort) || string.IsNullOrEmpty(n.Target) || n.Attentions is null))
        {
            return false;
        }

        var decoded = new List<KeptAttentions>(list.Count);
        foreach (var n in list)
        {
            var reasons = new List<SenseReason>();
            foreach (var code in n.Attentions)
            {
                if (!TryParse(code, out var asc, out var ascq))
                {
                    return false;
                }

                if (KeptByCode.TryGetValue((asc << 8) | ascq, out var reason) && !reasons.Contains(reason))
                {
                    reasons.Add(reason);
                }
            }

            decoded.Add(new KeptAttentions(new NexusKey(n.InitiatorPort, n.Target, n.RelativeTargetPortId), n.TargetPortGroup, reasons));
        }

        entries = decoded;
        return true;
    }

    /// <summary>The nexus a saved entry names, as the unit keeps it (the initiator's name is its port name before the ISID).</summary>
    public static ITNexus NexusOf(KeptAttentions entry)
    {
        var port = entry.Nexus.InitiatorPortName;
        var separator = port.IndexOf(Reservations.IscsiTransportId.Separator, StringComparison.OrdinalIgnoreCase);
        return new ITNexus(separator > 0 ? port[..separator] : port, port, entry.Nexus.TargetName, entry.TargetPortGroup, entry.Nexus.RelativeTargetPortId);
    }

    private static string Code(SenseReason reason)
    {
        var code = SenseTable.Lookup(reason);
        return string.Create(CultureInfo.InvariantCulture, $"{code.Asc:X2}/{code.Ascq:X2}");
    }

    private static bool TryParse(string? code, out byte asc, out byte ascq)
    {
        asc = ascq = 0;
        return code is { Length: 5 } && code[2] == '/'
            && byte.TryParse(code.AsSpan(0, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out asc)
            && byte.TryParse(code.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ascq);
    }
}

/// <summary>The kept unit attentions of one nexus, oldest first.</summary>
internal sealed record KeptAttentions(NexusKey Nexus, ushort TargetPortGroup, IReadOnlyList<SenseReason> Reasons)
{
    /// <summary>True when both name the same nexus and the same conditions in the same order.</summary>
    public bool SameAs(KeptAttentions other) =>
        Nexus == other.Nexus && TargetPortGroup == other.TargetPortGroup && Reasons.SequenceEqual(other.Reasons);
}

/// <summary>The saved table (see <see cref="UnitAttentionCodec"/>).</summary>
internal sealed record SavedAttentions(int Version, IReadOnlyList<SavedNexusAttentions> Nexuses);

/// <summary>One nexus of the saved table.</summary>
internal sealed record SavedNexusAttentions(
    string InitiatorPort, string Target, ushort RelativeTargetPortId, ushort TargetPortGroup, IReadOnlyList<string> Attentions);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SavedAttentions))]
internal sealed partial class AttentionJsonContext : JsonSerializerContext;
