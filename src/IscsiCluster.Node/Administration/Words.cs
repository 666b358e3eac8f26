using System.Text;

namespace IscsiCluster.Node.Administration;

/// <summary>How status shows an enum value: its name in lower case, words joined by hyphens (WaitingLease: waiting-lease).</summary>
internal static class Words
{
    public static string Of(Enum value)
    {
        var name = value.ToString();
        var text = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
