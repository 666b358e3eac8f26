using System.Text;

namespace IscsiCluster.Config;

/// <summary>
/// Every parse, resolution or type error of the HOCON library. The message reads
/// <c>origin:line: key 'path': reason</c>, leaving out the parts that are unknown.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message)
        : base(message)
    {
        Reason = message;
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    public ConfigException()
        : this("configuration error")
    {
    }

    internal ConfigException(string reason, string? origin, int line, string? path, Exception? innerException = null)
        : base(Format(reason, origin, line, path), innerException)
    {
        Reason = reason;
        Origin = origin;
        Line = line;
        Path = path;
    }

    internal ConfigException(string reason, ConfigOrigin? origin, string? path, Exception? innerException = null)
        : this(reason, origin?.Description, origin?.Line ?? 0, path, innerException)
    {
    }

    /// <summary>The file (or resource, or string description) the offending text came from.</summary>
    public string? Origin { get; }

    /// <summary>1-based line of the offending text, or 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>The key path concerned, when there is one.</summary>
    public string? Path { get; }

    /// <summary>The message without origin, line and path.</summary>
    public string Reason { get; }

    private static string Format(string reason, string? origin, int line, string? path)
    {
        var message = new StringBuilder();
        if (origin is not null)
        {
            message.Append(origin);
            if (line > 0)
            {
                message.Append(':').Append(line);
            }

            message.Append(": ");
        }

        if (path is not null)
        {
            message.Append("key '").Append(path).Append("': ");
        }

        return message.Append(reason).ToString();
    }
}
