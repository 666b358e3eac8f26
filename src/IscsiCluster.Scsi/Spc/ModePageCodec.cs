using System.Text.Json;
using System.Text.Json.Serialization;

namespace IscsiCluster.Scsi.Spc;

/// <summary>
/// The saved form of a unit's changed mode pages (<see cref="ModePagePersistence"/>): versioned UTF-8 JSON holding each
/// page that differs from its defaults as MODE SENSE returns it (PAGE CODE, PAGE LENGTH, parameters), in hexadecimal:
/// <code>
/// {"version":1,"pages":["0812000000000000000000000000000000000000"]}
/// </code>
/// A page is checked like a MODE SELECT parameter when it is read back (<see cref="ModePages.TryRestore"/>), so a saved
/// form from another version that changes what this one cannot is refused field by field, never applied blindly.
/// </summary>
internal static class ModePageCodec
{
    /// <summary>The format version this codec writes and reads.</summary>
    public const int Version = 1;

    /// <summary>Encodes <paramref name="pages"/>.</summary>
    public static byte[] Encode(IReadOnlyList<byte[]> pages) =>
        JsonSerializer.SerializeToUtf8Bytes(new SavedModePages(Version, [.. pages.Select(Convert.ToHexString)]), ModePageJsonContext.Default.SavedModePages);

    /// <summary>Decodes saved pages; false (with none) for anything that is not a well-formed list of this version.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, out List<byte[]> pages)
    {
        pages = [];
        SavedModePages? saved;
        try
        {
            saved = JsonSerializer.Deserialize(data, ModePageJsonContext.Default.SavedModePages);
        }
        catch (JsonException)
        {
            return false;
        }

        if (saved is not { Version: Version, Pages: { } list })
        {
            return false;
        }

        var decoded = new List<byte[]>(list.Count);
        foreach (var hex in list)
        {
            try
            {
                decoded.Add(Convert.FromHexString(hex ?? string.Empty));
            }
            catch (FormatException)
            {
                return false;
            }
        }

        pages = decoded;
        return true;
    }
}

/// <summary>The saved pages (see <see cref="ModePageCodec"/>).</summary>
internal sealed record SavedModePages(int Version, IReadOnlyList<string> Pages);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SavedModePages))]
internal sealed partial class ModePageJsonContext : JsonSerializerContext;
