using System.Globalization;

namespace IscsiCluster.Config.Values;

internal enum ScalarKind
{
    String,
    Number,
    Boolean,
    Null,
}

/// <summary>A string, number, boolean or null, kept as the text it was written with.</summary>
internal sealed class ConfigScalar(ConfigOrigin origin, ScalarKind kind, string text) : ConfigValue(origin)
{
    public ScalarKind Kind { get; } = kind;

    public string Text { get; } = text;

    public static ConfigScalar String(ConfigOrigin origin, string text) => new(origin, ScalarKind.String, text);

    /// <summary>
    /// Classifies an unquoted token written alone as a value: <c>true</c>/<c>false</c>, <c>null</c>,
    /// a JSON number, or else a string (HOCON spec, "Unquoted strings" and "Booleans").
    /// </summary>
    public static ConfigScalar FromUnquoted(ConfigOrigin origin, string text) => text switch
    {
        "true" or "false" => new(origin, ScalarKind.Boolean, text),
        "null" => new(origin, ScalarKind.Null, text),
        _ when IsNumber(text) => new(origin, ScalarKind.Number, text),
        _ => String(origin, text),
    };

    public override string Describe() => Kind == ScalarKind.String ? StringEscapes.Quote(Text) : Text;

    /// <summary>A JSON number: <c>-?digits(.digits)?([eE][+-]?digits)?</c>.</summary>
    private static bool IsNumber(string text)
    {
        var i = 0;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }

        if (!SkipDigits(text, ref i))
        {
            return false;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (!SkipDigits(text, ref i))
            {
                return false;
            }
        }

        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            if (i < text.Length && (text[i] == '+' || text[i] == '-'))
            {
                i++;
            }

            if (!SkipDigits(text, ref i))
            {
                return false;
            }
        }

        return i == text.Length && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
    }

    private static bool SkipDigits(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i > start;
    }
}
