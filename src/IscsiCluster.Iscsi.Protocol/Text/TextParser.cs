using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace IscsiCluster.Iscsi.Protocol.Text;

/// <summary>
/// Parses "key=value\0" data segments (RFC 7143 6.1). Text spanning several PDUs (C bit) is
/// concatenated by the caller first; <see cref="EndsWithCompletePair"/> tells whether a piece ends
/// on a pair boundary.
/// </summary>
public static class TextParser
{
    /// <summary>RFC 7143 6.1: a key name is at most 63 characters.</summary>
    public const int MaxKeyNameLength = 63;

    /// <summary>
    /// The longest value string accepted: the hex form of an 8192-byte large-binary-value
    /// (RFC 7143 6.1, used by CHAP_C and CHAP_R). Per-key limits (255 bytes for most) are the negotiator's.
    /// </summary>
    public const int MaxValueLength = 2 + (2 * 8192);

    private const byte Delimiter = 0;
    private const byte Separator = (byte)'=';

    /// <summary>Parses every pair; fails on the first malformed one. Empty entries between delimiters are skipped.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, [NotNullWhen(true)] out IReadOnlyList<TextKeyValue>? pairs, [NotNullWhen(false)] out TextError? error)
    {
        pairs = null;
        if (!EndsWithCompletePair(data))
        {
            error = new TextError(TextErrorKind.MissingTerminator, "the last key=value pair is not followed by a null delimiter");
            return false;
        }

        var result = new List<TextKeyValue>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (!data.IsEmpty)
        {
            var end = data.IndexOf(Delimiter);
            var pair = data[..end];
            data = data[(end + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            if (!TryParsePair(pair, out var keyValue, out error))
            {
                return false;
            }

            if (!seen.Add(keyValue.Key))
            {
                error = new TextError(TextErrorKind.DuplicateKey, $"key {keyValue.Key} appears more than once");
                return false;
            }

            result.Add(keyValue);
        }

        pairs = result;
        error = null;
        return true;
    }

    /// <summary>True when <paramref name="data"/> is empty or ends with the null delimiter of a pair.</summary>
    public static bool EndsWithCompletePair(ReadOnlySpan<byte> data) => data.IsEmpty || data[^1] == Delimiter;

    /// <summary>RFC 7143 6.1: letters, digits, '.', '-', '+', '@', '_' (and '#' of "X#" keys), starting with a capital letter.</summary>
    public static bool IsValidKeyName(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty || key.Length > MaxKeyNameLength || !char.IsAsciiLetterUpper(key[0]))
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '-' or '+' or '@' or '_' or '#'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParsePair(ReadOnlySpan<byte> pair, out TextKeyValue keyValue, [NotNullWhen(false)] out TextError? error)
    {
        keyValue = default;
        var separator = pair.IndexOf(Separator);
        if (separator < 0)
        {
            error = new TextError(TextErrorKind.MissingSeparator, "a key=value pair has no '='");
            return false;
        }

        var keyBytes = pair[..separator];
        var valueBytes = pair[(separator + 1)..];
        if (keyBytes.Length > MaxKeyNameLength || !Utf8.IsValid(keyBytes))
        {
            error = new TextError(TextErrorKind.InvalidKeyName, "a key name is too long or not text");
            return false;
        }

        var key = Encoding.UTF8.GetString(keyBytes);
        if (!IsValidKeyName(key))
        {
            error = new TextError(TextErrorKind.InvalidKeyName, $"invalid key name '{key}'");
            return false;
        }

        if (valueBytes.Length > MaxValueLength)
        {
            error = new TextError(TextErrorKind.ValueTooLong, $"the value of {key} is {valueBytes.Length} bytes long");
            return false;
        }

        if (!Utf8.IsValid(valueBytes))
        {
            error = new TextError(TextErrorKind.InvalidUtf8, $"the value of {key} is not valid UTF-8");
            return false;
        }

        keyValue = new TextKeyValue(key, Encoding.UTF8.GetString(valueBytes));
        error = null;
        return true;
    }
}
