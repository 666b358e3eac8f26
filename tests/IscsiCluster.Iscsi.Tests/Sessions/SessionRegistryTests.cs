using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using IscsiCluster.Iscsi.Sessions;

using IscsiCluster.Iscsi.Tests.Infrastructure;

namespace IscsiCluster.Iscsi.Tests.Sessions;

public sealed class SessionRegistryTests : PortalTestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly SessionKey Key = new("iqn.2026-11.test:i", 0x1234, "iqn.2026-11.test:t");

    [Fact]
    public async Task SessionsGetDistinctNonZeroTsihsAndCanBeFoundByThem()
    {
        var registry = Sys.ActorOf(Props.Create(() => new SessionRegistry()));
        var probe = CreateTestProbe();

        registry.Tell(new OpenSession(Key, _ => FakeSession(probe)), TestActor);
        var first = await ExpectMsgAsync<SessionCreated>(Patience);
        registry.Tell(new OpenSession(Key with { Isid = 0x5678 }, _ => FakeSession(probe)), TestActor);
        var second = await ExpectMsgAsync<SessionCreated>(Patience);
        registry.Tell(new FindSession(second.Tsih), TestActor);
        var found = await ExpectMsgAsync<SessionFound>(Patience);

        Assert.NotEqual(0, first.Tsih);
        Assert.NotEqual(first.Tsih, second.Tsih);
        Assert.Equal(second.Session, found.Session);
        Assert.Equal(0x5678ul, found.Key!.Isid);
    }

    [Fact]
    public async Task ASecondLeadingLoginWithTheSameKeyEndsTheOldSessionBeforeTheNewOneIsCreated()
    {
        var registry = Sys.ActorOf(Props.Create(() => new SessionRegistry()));
        var probe = CreateTestProbe();
        registry.Tell(new OpenSession(Key, _ => FakeSession(probe)), TestActor);
        var old = await ExpectMsgAsync<SessionCreated>(Patience);

        registry.Tell(new OpenSession(Key, _ => FakeSession(probe)), TestActor);
        var ended = await probe.ExpectMsgAsync<EndSession>(Patience);
        var replacement = await ExpectMsgAsync<SessionCreated>(Patience);

        Assert.Equal(SessionEndReason.Reinstated, ended.Reason);
        Assert.Equal(old.Session, probe.LastSender);
        Assert.NotEqual(old.Session, replacement.Session);
    }

    [Fact]
    public async Task AnUnknownTsihIsNotFound()
    {
        var registry = Sys.ActorOf(Props.Create(() => new SessionRegistry()));

        registry.Tell(new FindSession(42), TestActor);
        var found = await ExpectMsgAsync<SessionFound>(Patience);

        Assert.Null(found.Session);
    }

    [Fact]
    public async Task StoppingAllSessionsAnswersOnceTheyHaveStoppedAndRefusesNewOnes()
    {
        var registry = Sys.ActorOf(Props.Create(() => new SessionRegistry()));
        var probe = CreateTestProbe();
        registry.Tell(new OpenSession(Key, _ => FakeSession(probe)), TestActor);
        await ExpectMsgAsync<SessionCreated>(Patience);

        registry.Tell(StopAllSessions.Instance, TestActor);
        Assert.Equal(SessionEndReason.PortalStopping, (await probe.ExpectMsgAsync<EndSession>(Patience)).Reason);
        await ExpectMsgAsync<AllSessionsStopped>(Patience);
        registry.Tell(new OpenSession(Key, _ => FakeSession(probe)), TestActor);

        await ExpectMsgAsync<SessionRefused>(Patience);
    }

    private static Props FakeSession(TestProbe probe) => Props.Create(() => new FakeSessionActor(probe.Ref));

    /// <summary>Reports EndSession to the probe (as itself) and stops, as a real session does.</summary>
    private sealed class FakeSessionActor(IActorRef probe) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is EndSession)
            {
                probe.Tell(message, Self);
                Context.Stop(Self);
            }
            else
            {
                Unhandled(message);
            }
        }
    }
}
