using Xunit.Sdk;

namespace IscsiCluster.Actors.Tests;

public sealed class TestKitTests : TestKit.TestKit
{
    [Fact]
    public async Task ExpectMsgFailsNamingTheMessageThatCameInstead()
    {
        TestActor.Tell("surprise");

        var failure = await Assert.ThrowsAsync<FailException>(() => ExpectMsgAsync<int>());

        Assert.Contains("Int32", failure.Message, StringComparison.Ordinal);
        Assert.Contains("String (surprise)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpectMsgFailsOnTimeoutSayingNoMessageArrived()
    {
        var failure = await Assert.ThrowsAsync<FailException>(() => ExpectMsgAsync<int>(TimeSpan.FromMilliseconds(50)));

        Assert.Contains("no message arrived", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpectNoMsgFailsWhenAMessageArrives()
    {
        TestActor.Tell("unexpected");

        var failure = await Assert.ThrowsAsync<FailException>(() => ExpectNoMsgAsync(TimeSpan.FromMilliseconds(50)));

        Assert.Contains("unexpected", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplyAnswersTheSenderOfTheLastMessage()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var probe = CreateTestProbe();

        probe.Send(echo, "ping");
        await probe.ExpectMsgAsync("ping");
        probe.Reply("pong");

        await probe.ExpectMsgAsync("pong");
        Assert.Equal(echo, probe.LastSender);
    }

    [Fact]
    public async Task AProbeForwardsItsLastMessageWithTheOriginalSender()
    {
        var first = CreateTestProbe();
        var origin = CreateTestProbe();

        origin.Send(first, "parcel");
        await first.ExpectMsgAsync("parcel");
        first.Forward(TestActor);

        await ExpectMsgAsync("parcel");
        Assert.Equal(origin.Ref, LastSender);
    }

    [Fact]
    public void AProbeEqualsItsRef()
    {
        var probe = CreateTestProbe();

        Assert.True(probe.Equals(probe.Ref));
        Assert.True(probe.Ref.Equals(probe));
        Assert.NotEqual(probe.Ref, CreateTestProbe().Ref);
    }

    [Fact]
    public void DilatedScalesByTheTimeFactor()
    {
        Assert.Equal(TimeSpan.FromSeconds(2 * TestKitSettings.TimeFactor), Dilated(TimeSpan.FromSeconds(2)));
    }
}
