using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using IscsiCluster.Scsi.Sam;
using static IscsiCluster.Iscsi.Tests.ScsiCommandTests;

namespace IscsiCluster.Iscsi.Tests;

/// <summary>Session life in full feature phase: NOP, logout, reinstatement, rejects, digests, target requests.</summary>
public sealed class SessionTests : PortalTestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task NopOutPingIsAnsweredWithItsDataAndTag()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await LoggedInAsync(portal);
        var nextStatSn = initiator.ExpStatSn;

        await initiator.SendAsync(new NopOutPdu { Immediate = true, InitiatorTaskTag = 0x77, CmdSN = initiator.CmdSn, ExpStatSN = initiator.ExpStatSn, Data = "ping!"u8.ToArray() });
        var pong = await initiator.ReceiveAsync<NopInPdu>();

        Assert.Equal(0x77u, pong.InitiatorTaskTag);
        Assert.Equal(BasicHeaderSegment.ReservedTag, pong.TargetTransferTag);
        Assert.Equal("ping!"u8.ToArray(), pong.Data.ToArray());
        Assert.Equal(nextStatSn, pong.StatSN);
    }

    [Fact]
    public async Task AnIdleInitiatorIsPingedAndKeptWhenItAnswers()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, TestPortal.Settings("nop-in-interval = 100ms\nnop-in-timeout = 300ms"));
        await using var initiator = await LoggedInAsync(portal);

        for (var round = 0; round < 3; round++)
        {
            var ping = await initiator.ReceiveAsync<NopInPdu>();
            Assert.NotEqual(BasicHeaderSegment.ReservedTag, ping.TargetTransferTag);
            Assert.Equal(BasicHeaderSegment.ReservedTag, ping.InitiatorTaskTag);
            await initiator.SendAsync(new NopOutPdu
            {
                Immediate = true,
                InitiatorTaskTag = BasicHeaderSegment.ReservedTag,
                TargetTransferTag = ping.TargetTransferTag,
                CmdSN = initiator.CmdSn,
                ExpStatSN = initiator.ExpStatSn,
            });
        }

        await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady()));
        var response = await ReceiveSkippingPingsAsync(initiator);
        Assert.Equal((byte)ScsiStatus.Good, response.Status);
    }

    [Fact]
    public async Task AnInitiatorThatDoesNotAnswerPingsIsDroppedAndItsSessionClosed()
    {
        var target = CreateTestProbe();
        await using var portal = await TestPortal.StartAsync(Sys, target.Ref, TestPortal.Settings("nop-in-interval = 100ms\nnop-in-timeout = 300ms"));
        await using var initiator = await LoggedInAsync(portal);
        await target.ExpectMsgAsync<SessionOpened>(Patience);

        await initiator.ReceiveAsync<NopInPdu>();

        Assert.True(await initiator.IsClosedByTargetAsync(Patience));
        await target.ExpectMsgAsync<SessionClosed>(Patience);
    }

    [Fact]
    public async Task LogoutIsAnsweredAndEndsTheSessionTellingTheTargetAndTheLuns()
    {
        var target = CreateTestProbe();
        var lun = CreateTestProbe();
        await using var portal = await TestPortal.StartAsync(Sys, target.Ref, lunObserver: lun.Ref);
        await using var initiator = await LoggedInAsync(portal, lunObserver: lun);
        var opened = await target.ExpectMsgAsync<SessionOpened>(Patience);

        await initiator.SendAsync(new LogoutRequestPdu { Immediate = true, Reason = LogoutReason.CloseSession, InitiatorTaskTag = 0x99, ConnectionId = 1, CmdSN = initiator.CmdSn, ExpStatSN = initiator.ExpStatSn });
        var response = await initiator.ReceiveAsync<LogoutResponsePdu>();

        Assert.Equal(LogoutResponseCode.Success, response.Response);
        Assert.Equal(0x99u, response.InitiatorTaskTag);
        Assert.True(await initiator.IsClosedByTargetAsync(Patience));
        Assert.Equal(opened.Nexus, (await target.ExpectMsgAsync<SessionClosed>(Patience)).Nexus);
        Assert.Equal(opened.Nexus, (await lun.ExpectMsgAsync<NexusLost>(Patience)).Nexus);
    }

    [Fact]
    public async Task LogoutWaitsForOutstandingCommandsBeforeItIsAnswered()
    {
        var lun = CreateTestProbe();
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, target: t => t with { Luns = new Dictionary<ulong, IActorRef> { [0] = lun.Ref } });
        await using var initiator = await LoggedInAsync(portal, clearUnitAttention: false);

        await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady()));
        var executed = await lun.ExpectMsgAsync<ExecuteCommand>(Patience);
        await initiator.SendAsync(new LogoutRequestPdu { Immediate = true, Reason = LogoutReason.CloseSession, InitiatorTaskTag = 0x98, ConnectionId = 1, CmdSN = initiator.CmdSn, ExpStatSN = initiator.ExpStatSn });
        lun.Reply(new CommandComplete(executed.TaskTag, ScsiStatus.Good, ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty, 0));

        Assert.IsType<ScsiResponsePdu>(await initiator.ReceiveAsync());
        Assert.IsType<LogoutResponsePdu>(await initiator.ReceiveAsync());
    }

    [Fact]
    public async Task LogoutToRemoveAConnectionForRecoveryIsRefusedAtErrorRecoveryLevelZero()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await LoggedInAsync(portal);

        await initiator.SendAsync(new LogoutRequestPdu { Immediate = true, Reason = LogoutReason.RemoveConnectionForRecovery, InitiatorTaskTag = 0x97, ConnectionId = 1, CmdSN = initiator.CmdSn, ExpStatSN = initiator.ExpStatSn });
        var response = await initiator.ReceiveAsync<LogoutResponsePdu>();

        Assert.Equal(LogoutResponseCode.RecoveryNotSupported, response.Response);
    }

    [Fact]
    public async Task ANewLeadingLoginWithTheSameIsidReinstatesTheSessionAndClosesTheOldOne()
    {
        var target = CreateTestProbe();
        await using var portal = await TestPortal.StartAsync(Sys, target.Ref);
        await using var old = await LoggedInAsync(portal);
        var first = await target.ExpectMsgAsync<SessionOpened>(Patience);

        await using var reinstating = await TestInitiator.ConnectAsync(portal.EndPoint);
        var response = await reinstating.LoginAsync(TestPortal.DiskTarget);

        Assert.Equal(LoginStatus.Success, response.Status);
        Assert.True(await old.IsClosedByTargetAsync(Patience));
        Assert.Equal(first.Session, (await target.ExpectMsgAsync<SessionClosed>(Patience)).Session);
        var second = await target.ExpectMsgAsync<SessionOpened>(Patience);
        Assert.NotEqual(first.Session, second.Session);
        Assert.Equal(first.Nexus, second.Nexus);
    }

    [Fact]
    public async Task AnotherIsidOpensASecondSessionBesideTheFirst()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var first = await LoggedInAsync(portal);
        await using var second = await TestInitiator.ConnectAsync(portal.EndPoint);
        second.Isid = 0x80_00_00_00_00_02;

        Assert.Equal(LoginStatus.Success, (await second.LoginAsync(TestPortal.DiskTarget)).Status);
        await first.SendAsync(new NopOutPdu { Immediate = true, InitiatorTaskTag = 1, CmdSN = first.CmdSn, ExpStatSN = first.ExpStatSn });
        Assert.IsType<NopInPdu>(await first.ReceiveAsync());
    }

    [Fact]
    public async Task AnUnknownOpcodeIsRejectedAndTheSessionGoesOn()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await LoggedInAsync(portal);
        var bogus = new byte[BasicHeaderSegment.Length];
        bogus[0] = 0x1C;
        bogus[16] = 0xAB;

        await initiator.SendRawAsync(bogus);
        var reject = await initiator.ReceiveAsync<RejectPdu>();
        await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady()));
        var response = await initiator.ReceiveAsync<ScsiResponsePdu>();

        Assert.Equal(RejectReason.CommandNotSupported, reject.Reason);
        Assert.Equal(bogus, reject.Data.ToArray());
        Assert.Equal((byte)ScsiStatus.Good, response.Status);
    }

    [Fact]
    public async Task ASnackIsRejectedAtErrorRecoveryLevelZero()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await LoggedInAsync(portal);

        await initiator.SendAsync(new SnackPdu { Type = SnackType.Status, ExpStatSN = initiator.ExpStatSn });
        var reject = await initiator.ReceiveAsync<RejectPdu>();

        Assert.Equal(RejectReason.ProtocolError, reject.Reason);
        Assert.Equal((byte)IscsiOpcode.Snack, reject.Data.Span[0] & BasicHeaderSegment.OpcodeMask);
    }

    [Fact]
    public async Task AHeaderDigestErrorClosesOnlyThatConnection()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var bystander = await LoggedInAsync(portal);
        await using var victim = await TestInitiator.ConnectAsync(portal.EndPoint);
        victim.Isid = 0x80_00_00_00_00_03;
        var login = await victim.LoginAsync(TestPortal.DiskTarget, Keys(("HeaderDigest", "CRC32C"), ("DataDigest", "CRC32C")));
        Assert.Equal(LoginStatus.Success, login.Status);
        victim.UseDigests(header: true, data: true);

        var nop = PduWriter.ToArray(new NopOutPdu { Immediate = true, InitiatorTaskTag = 5, CmdSN = victim.CmdSn }, new PduWriteOptions(true, true));
        nop[BasicHeaderSegment.Length] ^= 0xFF;
        await victim.SendRawAsync(nop);

        Assert.True(await victim.IsClosedByTargetAsync(Patience));
        await bystander.SendAsync(bystander.Command(TestInitiator.TestUnitReady()));
        Assert.Equal((byte)ScsiStatus.Good, (await bystander.ReceiveAsync<ScsiResponsePdu>()).Status);
    }

    [Fact]
    public async Task DigestsNegotiatedAtLoginProtectEveryPduAfterIt()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);
        var login = await initiator.LoginAsync(TestPortal.DiskTarget, Keys(("HeaderDigest", "CRC32C"), ("DataDigest", "CRC32C")));
        Assert.Equal("CRC32C", TestInitiator.Parse(login.Data).GetValueOrDefault("HeaderDigest", TestInitiator.Parse(login.Data).GetValueOrDefault("DataDigest", "")));
        initiator.UseDigests(header: true, data: true);

        await initiator.SendAsync(new NopOutPdu { Immediate = true, InitiatorTaskTag = 6, CmdSN = initiator.CmdSn, Data = "digest"u8.ToArray() });
        var pong = await initiator.ReceiveAsync<NopInPdu>();

        Assert.Equal("digest"u8.ToArray(), pong.Data.ToArray());
    }

    [Fact]
    public async Task ADataDigestErrorIsRejectedAndTheConnectionGoesOn()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);
        await initiator.LoginAsync(TestPortal.DiskTarget, Keys(("HeaderDigest", "CRC32C"), ("DataDigest", "CRC32C")));
        initiator.UseDigests(header: true, data: true);

        var nop = PduWriter.ToArray(new NopOutPdu { Immediate = true, InitiatorTaskTag = 7, CmdSN = initiator.CmdSn, Data = "abcd"u8.ToArray() }, new PduWriteOptions(true, true));
        nop[^1] ^= 0xFF;
        await initiator.SendRawAsync(nop);
        var reject = await initiator.ReceiveAsync<RejectPdu>();
        await initiator.SendAsync(new NopOutPdu { Immediate = true, InitiatorTaskTag = 8, CmdSN = initiator.CmdSn });
        var pong = await initiator.ReceiveAsync<NopInPdu>();

        Assert.Equal(RejectReason.DataDigestError, reject.Reason);
        Assert.Equal(8u, pong.InitiatorTaskTag);
    }

    [Fact]
    public async Task ADataDigestErrorOnImmediateDataEndsThatCommandWithCheckConditionAndTheNextIsAnswered()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);
        await initiator.LoginAsync(TestPortal.DiskTarget, Keys(("HeaderDigest", "None"), ("DataDigest", "CRC32C")));
        initiator.UseDigests(header: false, data: true);
        await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady()));
        await initiator.ReceiveAsync<ScsiResponsePdu>();
        var block = Pattern(TestPortal.BlockSize, seed: 15);

        var write = initiator.Command(TestInitiator.Write10(7, 1), write: true, expectedLength: TestPortal.BlockSize, immediateData: block);
        var bytes = PduWriter.ToArray(write, new PduWriteOptions(false, true));
        bytes[^1] ^= 0xFF;
        await initiator.SendRawAsync(bytes);
        var reject = await initiator.ReceiveAsync<RejectPdu>();
        var ended = await initiator.ReceiveAsync<ScsiResponsePdu>();
        await initiator.SendAsync(initiator.Command(TestInitiator.Read10(7, 1), read: true, expectedLength: TestPortal.BlockSize));
        var (data, status, _) = await initiator.ReceiveReadAsync(TestPortal.BlockSize);

        Assert.Equal(RejectReason.DataDigestError, reject.Reason);
        Assert.Equal(write.InitiatorTaskTag, ended.InitiatorTaskTag);
        Assert.Equal((byte)ScsiStatus.CheckCondition, ended.Status);
        var sense = ended.Data.Span[2..];
        Assert.Equal(0x0B, sense[2] & 0x0F);
        Assert.Equal(0x47, sense[12]);
        Assert.Equal(0x05, sense[13]);
        Assert.Equal(write.CmdSN + 1, ended.ExpCmdSN);
        Assert.Equal((byte)ScsiStatus.Good, status switch { ScsiDataInPdu dataIn => dataIn.Status, ScsiResponsePdu response => response.Status, _ => 0xFF });
        Assert.Equal(new byte[TestPortal.BlockSize], data);
    }

    [Fact]
    public async Task ADataDigestErrorOnSolicitedDataEndsThatCommandWithCheckConditionOnceItsDataIsIn()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);
        await initiator.LoginAsync(TestPortal.DiskTarget, Keys(("DataDigest", "CRC32C"), ("ImmediateData", "No"), ("InitialR2T", "Yes")));
        initiator.UseDigests(header: false, data: true);
        await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady()));
        await initiator.ReceiveAsync<ScsiResponsePdu>();
        var data = Pattern(2 * TestPortal.BlockSize, seed: 16);

        var write = initiator.Command(TestInitiator.Write10(9, 2), write: true, expectedLength: (uint)data.Length);
        await initiator.SendAsync(write);
        var r2t = await initiator.ReceiveAsync<ReadyToTransferPdu>();
        var dataOut = PduWriter.ToArray(
            new ScsiDataOutPdu { Final = true, InitiatorTaskTag = write.InitiatorTaskTag, TargetTransferTag = r2t.TargetTransferTag, ExpStatSN = initiator.ExpStatSn, DataSN = 0, BufferOffset = 0, Data = data },
            new PduWriteOptions(false, true));
        dataOut[^1] ^= 0xFF;
        await initiator.SendRawAsync(dataOut);
        var reject = await initiator.ReceiveAsync<RejectPdu>();
        var ended = await initiator.ReceiveAsync<ScsiResponsePdu>();
        await initiator.SendAsync(initiator.Command(TestInitiator.Read10(9, 2), read: true, expectedLength: (uint)data.Length));
        var (read, status, _) = await initiator.ReceiveReadAsync(data.Length);

        Assert.Equal(RejectReason.DataDigestError, reject.Reason);
        Assert.Equal(write.InitiatorTaskTag, ended.InitiatorTaskTag);
        Assert.Equal((byte)ScsiStatus.CheckCondition, ended.Status);
        Assert.Equal([0x0B, 0x47, 0x05], new[] { (byte)(ended.Data.Span[2 + 2] & 0x0F), ended.Data.Span[2 + 12], ended.Data.Span[2 + 13] });
        Assert.Equal((byte)ScsiStatus.Good, status switch { ScsiDataInPdu dataIn => dataIn.Status, ScsiResponsePdu response => response.Status, _ => 0xFF });
        Assert.Equal(new byte[data.Length], read);
    }

    [Fact]
    public async Task CloseSessionFromTheTargetAsksForLogoutThenDropsTheConnection()
    {
        var target = CreateTestProbe();
        await using var portal = await TestPortal.StartAsync(Sys, target.Ref, TestPortal.Settings("logout-grace-period = 300ms"));
        await using var initiator = await LoggedInAsync(portal);
        var opened = await target.ExpectMsgAsync<SessionOpened>(Patience);

        opened.Session.Tell(new CloseSession("target deleted"));
        var message = await initiator.ReceiveAsync<AsyncMessagePdu>();

        Assert.Equal(AsyncEvent.LogoutRequested, message.AsyncEvent);
        Assert.Equal(1, message.Parameter3);
        Assert.True(await initiator.IsClosedByTargetAsync(Patience));
        await target.ExpectMsgAsync<SessionClosed>(Patience);
    }

    [Fact]
    public async Task StoppingThePortalTellsSessionsTheyAreDroppedAndClosesThem()
    {
        var target = CreateTestProbe();
        var portal = await TestPortal.StartAsync(Sys, target.Ref);
        await using var initiator = await LoggedInAsync(portal);
        await target.ExpectMsgAsync<SessionOpened>(Patience);

        await portal.Portal.StopAsync();
        var message = await initiator.ReceiveAsync<AsyncMessagePdu>();

        Assert.Equal(AsyncEvent.SessionDropping, message.AsyncEvent);
        Assert.True(await initiator.IsClosedByTargetAsync(Patience));
        await target.ExpectMsgAsync<SessionClosed>(Patience);
        await portal.DisposeAsync();
    }

    [Fact]
    public async Task LunMapChangesReachTheSession()
    {
        var target = CreateTestProbe();
        await using var portal = await TestPortal.StartAsync(Sys, target.Ref);
        await using var initiator = await LoggedInAsync(portal);
        var opened = await target.ExpectMsgAsync<SessionOpened>(Patience);

        opened.Session.Tell(new LunMapChanged(new Dictionary<ulong, IActorRef>()));
        await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady()));
        var response = await initiator.ReceiveAsync<ScsiResponsePdu>();

        // LUN 0 is now unmapped: the absent LUN answers LOGICAL UNIT NOT SUPPORTED.
        Assert.Equal((byte)ScsiStatus.CheckCondition, response.Status);
    }

    private static async Task<ScsiResponsePdu> ReceiveSkippingPingsAsync(TestInitiator initiator)
    {
        while (true)
        {
            switch (await initiator.ReceiveAsync())
            {
                case ScsiResponsePdu response:
                    return response;
                case NopInPdu ping:
                    await initiator.SendAsync(new NopOutPdu { Immediate = true, InitiatorTaskTag = BasicHeaderSegment.ReservedTag, TargetTransferTag = ping.TargetTransferTag, CmdSN = initiator.CmdSn });
                    break;
                case var other:
                    throw new InvalidDataException($"unexpected {other}");
            }
        }
    }
}
