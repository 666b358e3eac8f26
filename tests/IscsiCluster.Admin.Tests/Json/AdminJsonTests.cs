using System.Text;
using IscsiCluster.Admin.Contracts.Json;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Admin.Tests.TestSupport;

namespace IscsiCluster.Admin.Tests.Json;

public class AdminJsonTests
{
    [Fact]
    public void ConfigurationSurvivesAJsonRoundTrip()
    {
        var configuration = Samples.Configuration with { DiscoveryIncomingUsers = ["christina"], DiscoveryOutgoingUser = "clyde" };
        configuration = configuration.WithTarget(configuration.FindTarget(1)! with { Alias = "disk", State = TargetState.Offline, InitiatorNames = ["iqn.x:a"] });

        Assert.Equal(configuration, AdminJson.DeserializeConfiguration(AdminJson.Serialize(configuration)));
    }

    [Fact]
    public void TheJsonIsCompactWithNamedEnumsAndNoNulls()
    {
        var json = AdminJson.Serialize(Samples.Configuration);

        Assert.DoesNotContain("\n", json, StringComparison.Ordinal);
        Assert.Contains("\"state\":\"Ready\"", json, StringComparison.Ordinal);
        Assert.Contains("\"source\":\"Imported\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyConfigurationRoundTrips() =>
        Assert.Equal(ClusterConfiguration.Empty, AdminJson.DeserializeConfiguration(AdminJson.Serialize(ClusterConfiguration.Empty)));

    [Fact]
    public void ARequestRoundTripsOnTheWire()
    {
        var request = new AdmRequest(AdmMode.Account, AdmOp.Bind) { Tid = 1, User = "clyde", Outgoing = true, Lun = ulong.MaxValue, Token = "t" };
        Assert.True(AdminJson.TryDeserializeRequest(AdminJson.SerializeToUtf8(request), out var back));
        Assert.Equal(request, back);
    }

    [Fact]
    public void FramesRoundTripOnTheWire()
    {
        var response = new AdmServerFrame(Response: AdmResponse.Ok(Samples.Payload()));
        Assert.True(AdminJson.TryDeserializeFrame(AdminJson.SerializeToUtf8(response), out var back));
        Assert.Equal(Samples.Configuration.WithoutSecrets(), back.Response!.Payload!.Configuration);
        Assert.Equal(Samples.Session.Connections, back.Response.Payload.Sessions![0].Connections);

        var progress = new AdmServerFrame(Progress: new AdmProgress("importing x", 1, 2));
        Assert.True(AdminJson.TryDeserializeFrame(AdminJson.SerializeToUtf8(progress), out var step));
        Assert.Equal(progress.Progress, step.Progress);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"mode\":\"Nope\",\"op\":\"Show\"}")]
    [InlineData("[1,2]")]
    [InlineData("{\"mode\":\"Target\",\"op\":\"New\",\"tid\":\"one\"}")]
    public void MalformedRequestsAreRefused(string text) =>
        Assert.False(AdminJson.TryDeserializeRequest(Encoding.UTF8.GetBytes(text), out _));

    [Fact]
    public void ARequestRendersWithoutItsPassword()
    {
        var text = new AdmRequest(AdmMode.Account, AdmOp.New) { User = "christina", Password = "123456", Token = "tok" }.ToString();
        Assert.Contains("christina", text, StringComparison.Ordinal);
        Assert.DoesNotContain("123456", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tok", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryErrorHasAMessageAndTheExitCodeOfItsKind()
    {
        foreach (var error in Enum.GetValues<AdmError>())
        {
            Assert.False(AdmErrors.Message(error).StartsWith('('), $"{error} has no message");
            var expected = error switch
            {
                AdmError.Success => 0,
                AdmError.PermissionDenied => 13,
                AdmError.NodeUnreachable => 111,
                _ => 22,
            };
            Assert.Equal(expected, AdmErrors.ExitCode(error));
        }
    }

    [Theory]
    [InlineData(AdmError.NoTarget, "can't find the target")]
    [InlineData(AdmError.TargetExists, "this target already exists")]
    [InlineData(AdmError.LunExists, "this logical unit number already exists")]
    [InlineData(AdmError.UserExists, "this account already exists")]
    [InlineData(AdmError.NoUser, "can't find the account")]
    [InlineData(AdmError.OutgoingAccountExists, "this target already has an outgoing account")]
    public void MessagesReadLikeTgtadms(AdmError error, string message) => Assert.Equal(message, AdmErrors.Message(error));

    [Fact]
    public void DescribeAppendsTheDetail() =>
        Assert.Equal("can't find the target: tid 3", AdmErrors.Describe(AdmError.NoTarget, "tid 3"));
}
