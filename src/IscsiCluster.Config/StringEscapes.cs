using System.Globalization;
using System.Text;

namespace IscsiCluster.Config;

/// <summary>JSON string escapes, which HOCON quoted strings share (HOCON spec, "Quoted strings").</summary>
internal static class StringEscapes
{
    /// <summary>
    /// Reads a quoted string starting at <paramref name="index"/> (which holds the opening quote)
    /// and leaves <paramref name="index"/> just past the closing quote.
    /// </summary>
    public static bool TryReadQuoted(string text, ref int index, out string value, out string error)
    {
        var result = new StringBuilder();
        var i = index + 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"')
            {
                index = i + 1;
                value = result.ToString();
                error = string.Empty;
                return true;
            }

            if (c == '\n')
            {
                break;
            }

            if (c == '\\')
            {
                if (!TryReadEscape(text, ref i, result, out error))
                {
                    value = string.Empty;
                    return false;
                }

                continue;
            }

            result.Append(c);
            i++;
        }

        value = string.Empty;
        error = "quoted string is not closed before the end of the line";
        return false;
    }

    public static string Quote(string value)
    {
        var result = new StringBuilder(value.Length + 2);
        result.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': result.Append("\\\""); break;
                case '\\': result.Append("\\\\"); break;
                case '\n': result.Append("\\n"); break;
                case '\r': result.Append("\\r"); break;
                case '\t': result.Append("\\t"); break;
                case '\b': result.Append("\\b"); break;
                case '\f': result.Append("\\f"); break;
                default:
                    if (char.IsControl(c))
                    {
                        result.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        result.Append(c);
                    }

                    break;
            }
        }

        return result.Append('"').ToString();
    }

    private static bool TryReadEscape(string text, ref int i, StringBuilder result, out string error)
    {
        error = string.Empty;
        if (i + 1 >= text.Length)
        {
            error = "quoted string ends inside an escape sequence";
            return false;
        }

        var escaped = text[i + 1];
        switch (escaped)
        {
            case '"': result.Append('"'); break;
            case '\\': result.Append('\\'); break;
            case '/': result.Append('/'); break;
            case 'b': result.Append('\b'); break;
            case 'f': result.Append('\f'); break;
            case 'n': result.Append('\n'); break;
            case 'r': result.Append('\r'); break;
            case 't': result.Append('\t'); break;
            case 'u':
                if (i + 6 > text.Length
                    || !ushort.TryParse(text.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                {
                    error = "\\u must be followed by four hex digits";
                    return false;
                }

                result.Append((char)code);
                i += 6;
                return true;
            default:
                error = $"'\\{escaped}' is not a valid escape in a quoted string";
                return false;
        }

        i += 2;
        return true;
    }
}
