using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace IscsiCluster.Admin.Server;

/// <summary>Who is on the other end of a Unix socket: SO_PEERCRED (socket(7)), Linux's struct ucred { pid, uid, gid }.</summary>
internal static partial class PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;
    private const int UcredSize = 12;
    private const int UidOffset = 4;

    /// <summary>The uid of the peer process, or null when the platform cannot tell (then the peer is refused).</summary>
    public static uint? TryGetPeerUid(Socket socket)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        Span<byte> ucred = stackalloc byte[UcredSize];
        try
        {
            var length = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
            return length < UcredSize ? null : BinaryPrimitives.ReadUInt32LittleEndian(ucred[UidOffset..]);
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>The effective uid of this process.</summary>
    public static uint EffectiveUid() => OperatingSystem.IsLinux() ? GetEffectiveUid() : uint.MaxValue;

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUid();
}
