using System.Net.Sockets;
using IscsiCluster.Admin.Server;

namespace IscsiCluster.Admin.Tests.Server;

public sealed class PeerCredentialsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("adm-cred-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(0u, 1000u, true)]
    [InlineData(1000u, 1000u, true)]
    [InlineData(1001u, 1000u, false)]
    [InlineData(null, 1000u, false)]
    public void OnlyRootAndTheNodesOwnUidAreServed(uint? peer, uint own, bool allowed)
    {
        Assert.Equal(allowed, AdminServer.IsUidAllowed(peer, own, out var reason));
        Assert.Equal(allowed, reason.Length == 0);
    }

    [Fact]
    public async Task ThePeerUidOfAUnixSocketIsThisProcesssUid()
    {
        var path = Path.Combine(_directory, "s.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(path));
        using var accepted = await listener.AcceptAsync();

        Assert.Equal(PeerCredentials.EffectiveUid(), PeerCredentials.TryGetPeerUid(accepted));
    }
}
