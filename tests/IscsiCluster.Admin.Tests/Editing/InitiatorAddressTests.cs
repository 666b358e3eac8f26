using System.Net;
using IscsiCluster.Admin.Contracts.Editing;
using IscsiCluster.Admin.Contracts.Model;

namespace IscsiCluster.Admin.Tests.Editing;

public class InitiatorAddressTests
{
    [Theory]
    [InlineData("ALL")]
    [InlineData("172.16.0.0/16")]
    [InlineData("172.16.3.4/16")]
    [InlineData("192.168.0.11")]
    [InlineData("0.0.0.0/0")]
    [InlineData("fe80::1")]
    [InlineData("2001:db8::/32")]
    public void ValidEntriesAreAccepted(string entry) => Assert.True(InitiatorAddress.IsValid(entry));

    [Theory]
    [InlineData("")]
    [InlineData("all")]
    [InlineData("1")]
    [InlineData("1.2.3")]
    [InlineData("10.0.0.300")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/x")]
    [InlineData("fe80::1/129")]
    [InlineData("host.example")]
    public void InvalidEntriesAreRefused(string entry) => Assert.False(InitiatorAddress.IsValid(entry));

    [Theory]
    [InlineData("ALL", "8.8.8.8", true)]
    [InlineData("172.16.0.0/16", "172.16.200.1", true)]
    [InlineData("172.16.0.0/16", "172.17.0.1", false)]
    [InlineData("172.16.3.4/16", "172.16.9.9", true)]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("127.0.0.1", "127.0.0.2", false)]
    [InlineData("127.0.0.1", "::ffff:127.0.0.1", true)]
    [InlineData("2001:db8::/32", "2001:db8::5", true)]
    [InlineData("2001:db8::/32", "10.0.0.1", false)]
    public void MatchesComparesAddressesAndNetworks(string entry, string address, bool expected) =>
        Assert.Equal(expected, InitiatorAddress.Matches(entry, IPAddress.Parse(address)));

    [Fact]
    public void ATargetWithoutAclAdmitsNoOne()
    {
        var target = TargetDefinition.Create(1, "iqn.2024-01.x:y");
        Assert.False(TargetAccess.Admits(target, "iqn.x:a", IPAddress.Loopback));
    }

    [Fact]
    public void ATargetAdmitsAnInitiatorMatchingAnAddressOrAName()
    {
        var target = TargetDefinition.Create(1, "iqn.2024-01.x:y") with { InitiatorAddresses = ["10.0.0.0/8"], InitiatorNames = ["iqn.x:named"] };

        Assert.True(TargetAccess.Admits(target, "iqn.x:other", IPAddress.Parse("10.1.2.3")));
        Assert.True(TargetAccess.Admits(target, "iqn.x:named", IPAddress.Loopback));
        Assert.False(TargetAccess.Admits(target, "iqn.x:other", IPAddress.Loopback));
    }
}
