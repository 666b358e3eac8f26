using System.Net;

namespace IscsiCluster.Node.Administration;

/// <summary>The <c>iscsi-cluster.admin</c> section: where the management endpoint listens and how long a request may take.</summary>
/// <param name="SocketPath">The Unix socket, or null for "admin.sock" beside the data directory.</param>
/// <param name="TcpEndPoint">The optional TCP endpoint, or null when off.</param>
/// <param name="TcpToken">The token every TCP request must carry (set when <paramref name="TcpEndPoint"/> is).</param>
/// <param name="RequestTimeout">The longest one request may take, an import included.</param>
/// <param name="ImportChunkSize">How many bytes of a backing store are copied at a time.</param>
/// <param name="RefuseShortSecrets">Whether a new CHAP account with a secret under 12 characters is refused (else only warned about).</param>
public sealed record AdminSettings(
    string? SocketPath,
    IPEndPoint? TcpEndPoint,
    string? TcpToken,
    TimeSpan RequestTimeout,
    int ImportChunkSize,
    bool RefuseShortSecrets = false)
{
    /// <summary>The socket's file name when no path is configured.</summary>
    public const string DefaultSocketName = "admin.sock";

    private const int MinImportChunkSize = 4096;
    private const int MaxImportChunkSize = 64 * 1024 * 1024;

    public static AdminSettings Create(Config.Config config)
    {
        var admin = config.GetConfig("iscsi-cluster.admin");
        var socket = admin.GetString("socket");
        IPEndPoint? tcp = null;
        string? token = null;
        if (admin.GetBoolean("tcp.enabled"))
        {
            var address = admin.GetString("tcp.address");
            if (!IPAddress.TryParse(address, out var ip))
            {
                throw new Configuration.NodeConfigurationException($"iscsi-cluster.admin.tcp.address: '{address}' is not an IP address");
            }

            var port = admin.GetInt("tcp.port");
            if (port is < 0 or > IPEndPoint.MaxPort)
            {
                throw new Configuration.NodeConfigurationException($"iscsi-cluster.admin.tcp.port: {port} is outside 0..{IPEndPoint.MaxPort}");
            }

            token = admin.GetString("tcp.token");
            if (token.Length == 0)
            {
                throw new Configuration.NodeConfigurationException("iscsi-cluster.admin.tcp.token: a TCP management endpoint needs a token (it would let anyone in)");
            }

            tcp = new IPEndPoint(ip, port);
        }

        var chunk = admin.GetByteSize("import-chunk-size");
        if (chunk is < MinImportChunkSize or > MaxImportChunkSize)
        {
            throw new Configuration.NodeConfigurationException($"iscsi-cluster.admin.import-chunk-size: {chunk} bytes is outside {MinImportChunkSize}..{MaxImportChunkSize}");
        }

        return new AdminSettings(socket.Length == 0 ? null : socket, tcp, token, admin.GetTimeSpan("request-timeout"), (int)chunk, admin.GetBoolean("chap.refuse-short-secrets"));
    }

    /// <summary>The socket path: the configured one, else "admin.sock" in the data directory's parent (the launcher's run directory).</summary>
    public string ResolveSocketPath(string dataDirectory) =>
        Path.GetFullPath(SocketPath ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataDirectory)) ?? dataDirectory, DefaultSocketName));

    /// <summary>Keeps the token out of logs and test failure messages.</summary>
    public override string ToString() =>
        $"AdminSettings {{ SocketPath = {SocketPath}, TcpEndPoint = {TcpEndPoint}, TcpToken = {(TcpToken is null ? "" : "***")}, RequestTimeout = {RequestTimeout}, ImportChunkSize = {ImportChunkSize}, RefuseShortSecrets = {RefuseShortSecrets} }}";
}
