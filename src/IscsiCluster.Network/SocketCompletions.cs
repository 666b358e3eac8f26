namespace IscsiCluster.Network;

/// <summary>
/// Where .NET runs what waits on a socket. By default the runtime's socket thread (epoll) hands every completion to the
/// thread pool, which wakes a worker for it: on a replicated write that is one wake-up on the owner for the command and
/// one per peer's acknowledgement, and one on each peer for the append. Inline, the socket thread runs the read loops
/// itself, and with <see cref="ThreadBatch"/> the actors they hand to, so a command crosses no thread it does not have
/// to (bench/README.md, the depth-1 write).
/// </summary>
public static class SocketCompletions
{
    /// <summary>The runtime's switch, read once, when the process first uses a socket.</summary>
    public const string InlineVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Asks for inline completions unless the environment already says (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0</c>
    /// keeps the runtime's default). Call before the process opens any socket.
    /// </summary>
    public static void PreferInline()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(InlineVariable)))
        {
            Environment.SetEnvironmentVariable(InlineVariable, "1");
        }
    }
}
