using System.Net;
using Akka.Actor;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Scsi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using HoconConfig = IscsiCluster.Config.Config;

namespace IscsiCluster.Iscsi.Tests.Infrastructure;

/// <summary>
/// An <see cref="IscsiPortal"/> on 127.0.0.1 with an ephemeral port, a fake directory holding one
/// target (<see cref="DiskTarget"/>) whose LUN 0 is a RAM disk, and a probe as the target actor.
/// </summary>
internal sealed class TestPortal : IAsyncDisposable
{
    public const string DiskTarget = "iqn.2026-11.io.iscsicluster.test:disk";
    public const int BlockSize = 512;
    public const long BlockCount = 32 * 1024;

    private TestPortal(IscsiPortal portal, FakeTargetDirectory directory, MemoryBlockDevice disk, IActorRef diskActor, IActorRef absentActor)
    {
        Portal = portal;
        Directory = directory;
        Disk = disk;
        DiskActor = diskActor;
        AbsentActor = absentActor;
    }

    public IscsiPortal Portal { get; }

    public FakeTargetDirectory Directory { get; }

    public MemoryBlockDevice Disk { get; }

    public IActorRef DiskActor { get; }

    public IActorRef AbsentActor { get; }

    public IPEndPoint EndPoint => Portal.LocalEndPoint;

    /// <summary>The iscsi:// URL of LUN 0 of the disk target, for libiscsi's tools.</summary>
    public string DiskUrl => $"iscsi://127.0.0.1:{EndPoint.Port}/{DiskTarget}/0";

    /// <summary>Settings for tests: loopback, port 0, target pings off unless overridden.</summary>
    public static IscsiSettings Settings(string overrides = "") =>
        IscsiSettings.Create(HoconConfig.ParseString(
            $$"""
            iscsi-cluster.iscsi {
              listen-address = "127.0.0.1"
              port = 0
              nop-in-interval = 0s
              shutdown-grace-period = 1s
              {{overrides}}
            }
            """));

    /// <summary>
    /// Starts a portal. <paramref name="target"/> lets a test change the disk target's access
    /// (ACL, CHAP accounts); <paramref name="targetActor"/> receives SessionOpened/SessionClosed.
    /// </summary>
    public static async Task<TestPortal> StartAsync(
        ActorSystem system,
        IActorRef targetActor,
        IscsiSettings? settings = null,
        Func<TargetAccess, TargetAccess>? target = null,
        IActorRef? lunObserver = null,
        ILoggerFactory? loggerFactory = null)
    {
        var disk = new MemoryBlockDevice(BlockSize, BlockCount);
        var diskUnit = new DiskUnit(new LogicalUnitIdentity(1, "ISCLUSTR", "TEST DISK", "0001", "SERIAL0001"), disk);
        diskUnit.SetInventory([0]);
        var absentUnit = new AbsentUnit(new LogicalUnitIdentity(2, "ISCLUSTR", "ABSENT", "0001", "SERIAL0002"));
        absentUnit.SetInventory([0]);
        var diskActor = system.ActorOf(Props.Create(() => new UnitActor(diskUnit, lunObserver)));
        var absentActor = system.ActorOf(Props.Create(() => new UnitActor(absentUnit, lunObserver)));
        var access = new TargetAccess(
            DiskTarget,
            "test disk",
            InitiatorAllowed: true,
            IncomingAccounts: [],
            OutgoingAccount: null,
            targetActor,
            new Dictionary<ulong, IActorRef> { [0] = diskActor },
            absentActor);
        var directory = new FakeTargetDirectory();
        directory.Add(target is null ? access : target(access));
        var portal = new IscsiPortal(settings ?? Settings(), system, directory, loggerFactory ?? NullLoggerFactory.Instance);
        await portal.StartAsync(CancellationToken.None);
        directory.Addresses = [$"127.0.0.1:{portal.LocalEndPoint.Port},1"];
        return new TestPortal(portal, directory, disk, diskActor, absentActor);
    }

    public ValueTask DisposeAsync() => Portal.DisposeAsync();
}
