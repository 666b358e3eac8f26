using System.Text;
using IscsiCluster.Config.Values;

namespace IscsiCluster.Config;

/// <summary>Writes a resolved tree back as HOCON that parses to the same values (for <c>--dump</c>).</summary>
internal static class Renderer
{
    private const int IndentWidth = 2;

    public static string Render(ConfigObject root)
    {
        var text = new StringBuilder();
        WriteFields(text, root, 0);
        return text.ToString();
    }

    private static void WriteFields(StringBuilder text, ConfigObject obj, int level)
    {
        foreach (var key in obj.Keys)
        {
            var value = obj[key];
            text.Append(' ', level * IndentWidth).Append(ConfigPath.RenderKey(key));
            text.Append(value is ConfigObject ? " " : " = ");
            WriteValue(text, value, level);
            text.Append('\n');
        }
    }

    private static void WriteValue(StringBuilder text, ConfigValue value, int level)
    {
        switch (value)
        {
            case ConfigObject obj when obj.Count == 0:
                text.Append("{}");
                break;
            case ConfigObject obj:
                text.Append("{\n");
                WriteFields(text, obj, level + 1);
                text.Append(' ', level * IndentWidth).Append('}');
                break;
            case ConfigList list when list.Items.All(i => i is ConfigScalar):
                text.Append('[');
                for (var i = 0; i < list.Items.Count; i++)
                {
                    text.Append(i == 0 ? string.Empty : ", ");
                    WriteValue(text, list.Items[i], level);
                }

                text.Append(']');
                break;
            case ConfigList list:
                text.Append("[\n");
                foreach (var item in list.Items)
                {
                    text.Append(' ', (level + 1) * IndentWidth);
                    WriteValue(text, item, level + 1);
                    text.Append('\n');
                }

                text.Append(' ', level * IndentWidth).Append(']');
                break;
            case ConfigScalar { Kind: ScalarKind.String } scalar:
                text.Append(StringEscapes.Quote(scalar.Text));
                break;
            case ConfigScalar scalar:
                text.Append(scalar.Text);
                break;
            default:
                throw new ConfigException($"cannot render unresolved {value.Describe()}", value.Origin, null);
        }
    }
}
