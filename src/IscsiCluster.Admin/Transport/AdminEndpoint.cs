using System.Globalization;

namespace IscsiCluster.Admin.Transport;

/// <summary>Where a node's management endpoint is: a Unix socket path, or a TCP host and port with a token.</summary>
public sealed record AdminEndpoint(string? SocketPath, string? Host, int Port, string? Token)
{
    /// <summary>The environment variable naming the socket path (or host:port); the launcher sets it.</summary>
    public const string SocketVariable = "ISCSI_CLUSTER_ADMIN_SOCKET";

    /// <summary>The environment variable carrying the token of a TCP endpoint.</summary>
    public const string TokenVariable = "ISCSI_CLUSTER_ADMIN_TOKEN";

    /// <summary>The launcher's run directory, holding admin.sock when the socket variable is not set.</summary>
    public const string RunDirectoryVariable = "ISCSI_CLUSTER_RUN_DIR";

    public const string DefaultSocketName = "admin.sock";

    public bool IsTcp => SocketPath is null;

    public override string ToString() => IsTcp ? $"{Host}:{Port}" : SocketPath!;

    public static AdminEndpoint UnixSocket(string path) => new(path, null, 0, null);

    public static AdminEndpoint Tcp(string host, int port, string? token) => new(null, host, port, token);

    /// <summary>
    /// Resolves the endpoint: --control-port as a socket path (has '/'), as host:port, or as a number N meaning the
    /// base socket path with ".N" appended (tgtadm's convention; 0 is the base itself). The base is
    /// ISCSI_CLUSTER_ADMIN_SOCKET, else ISCSI_CLUSTER_RUN_DIR/admin.sock, else &lt;repository&gt;/.run/admin.sock.
    /// </summary>
    public static bool TryResolve(string? controlPort, Func<string, string?> environment, string defaultRunDirectory, out AdminEndpoint endpoint, out string error)
    {
        error = "";
        var token = environment(TokenVariable);
        var configured = environment(SocketVariable);
        var basePath = configured ?? Path.Combine(environment(RunDirectoryVariable) ?? defaultRunDirectory, DefaultSocketName);
        endpoint = null!;
        if (controlPort is null)
        {
            return TryParseLocation(basePath, token, out endpoint, out error);
        }

        if (controlPort.All(char.IsAsciiDigit) && controlPort.Length > 0)
        {
            if (!int.TryParse(controlPort, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                error = $"--control-port {controlPort} is out of range";
                return false;
            }

            if (!TryParseLocation(basePath, token, out var baseEndpoint, out error))
            {
                return false;
            }

            endpoint = number == 0 ? baseEndpoint
                : baseEndpoint.IsTcp ? baseEndpoint with { Port = number }
                : UnixSocket($"{baseEndpoint.SocketPath}.{number}");
            return true;
        }

        return TryParseLocation(controlPort, token, out endpoint, out error);
    }

    private static bool TryParseLocation(string location, string? token, out AdminEndpoint endpoint, out string error)
    {
        error = "";
        endpoint = null!;
        if (location.Contains('/', StringComparison.Ordinal) || !location.Contains(':', StringComparison.Ordinal))
        {
            endpoint = UnixSocket(location);
            return true;
        }

        var colon = location.LastIndexOf(':');
        var host = location[..colon].Trim('[', ']');
        if (host.Length == 0 || !int.TryParse(location[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"'{location}' is neither a socket path nor host:port";
            return false;
        }

        endpoint = Tcp(host, port, token);
        return true;
    }

    /// <summary>&lt;repository&gt;/.run when this program runs from the repository's build output, else ./.run.</summary>
    public static string DefaultRunDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "IscsiCluster.sln")))
            {
                return Path.Combine(directory.FullName, ".run");
            }
        }

        return Path.GetFullPath(".run");
    }
}
