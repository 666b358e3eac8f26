using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Messages;
using IscsiCluster.Replication.Owner;
using IscsiCluster.Replication.Replica;
using IscsiCluster.Replication.Storage;

namespace IscsiCluster.Replication.Tests.Support;

/// <summary>
/// Owners and replicas wired together in one test, with one clock and a queue of messages the test delivers (or drops) one at
/// a time or all at once: for unit tests of message handling, where the simulation's randomness would be in the way.
/// </summary>
internal sealed class Wire
{
    public static readonly TimeSpan Start = TimeSpan.FromSeconds(100);

    /// <param name="stores">The replicas' stores by id; in-memory ones (in <see cref="Stores"/>) when null.</param>
    public Wire(int replicas = 3, Func<ReplicationSettings, ReplicationSettings>? adjust = null, Func<int, IReplicaStore>? stores = null)
    {
        var settings = new ReplicationSettings
        {
            SizeBytes = 128,
            Replicas = Enumerable.Range(1, replicas).ToArray(),
            ExtentBytes = 32,
            TailEntries = 4,
            WindowEntries = 4,
            LeaseDuration = TimeSpan.FromMilliseconds(200),
            ClockDrift = 0.01,
            HeartbeatInterval = TimeSpan.FromMilliseconds(60),
            RetryInterval = TimeSpan.FromMilliseconds(20),
            AbsentAfter = TimeSpan.FromMilliseconds(150),
            CatchUpChunkBytes = 16,
        };
        Settings = adjust?.Invoke(settings) ?? settings;
        foreach (var id in Settings.Replicas)
        {
            IReplicaStore store;
            if (stores is null)
            {
                store = Stores[id] = new InMemoryReplicaStore(Settings.SizeBytes);
            }
            else
            {
                store = stores(id);
            }

            Replicas[id] = new ReplicaCore(id, Settings, store, Now);
        }
    }

    public ReplicationSettings Settings { get; }

    public TimeSpan Now { get; set; } = Start;

    public Dictionary<int, InMemoryReplicaStore> Stores { get; } = [];

    public Dictionary<int, ReplicaCore> Replicas { get; } = [];

    public Dictionary<int, OwnerCore> Owners { get; } = [];

    public List<(int From, int To, ReplicationMessage Message)> InFlight { get; } = [];

    public List<Completion> Completions { get; } = [];

    public List<WriteAssignment> Assigned { get; } = [];

    /// <summary>Messages matching this are dropped instead of delivered.</summary>
    public Func<int, int, ReplicationMessage, bool> Drop { get; set; } = (_, _, _) => false;

    public OwnerCore Owner(int id = 1) => Owners[id];

    public OwnerCore StartOwner(int id = 1, int seed = 7)
    {
        var owner = new OwnerCore(id, Settings, new Random(seed));
        Owners[id] = owner;
        Take(id, owner.Start(Now));
        return owner;
    }

    /// <summary>Starts an owner and delivers until it serves, advancing the clock through the lease wait.</summary>
    public OwnerCore Serving(int id = 1)
    {
        var owner = StartOwner(id);
        DeliverAll();
        for (var waited = 0; owner.State != OwnerState.Serving; waited += 10)
        {
            Assert.True(waited < 10_000, $"owner {id} never served: {owner.Status(Now)}");
            Advance(TimeSpan.FromMilliseconds(10));
        }

        return owner;
    }

    public void Take(int from, OwnerOutput output)
    {
        foreach (var message in output.Messages)
        {
            InFlight.Add((from, message.To, message.Message));
        }

        Completions.AddRange(output.Completions);
        Assigned.AddRange(output.Assigned);
    }

    public void Take(int from, IReadOnlyList<Outgoing> output)
    {
        foreach (var message in output)
        {
            InFlight.Add((from, message.To, message.Message));
        }
    }

    /// <summary>Delivers the oldest message matching <paramref name="which"/> (any when null); false if none.</summary>
    public bool DeliverOne(Func<int, int, ReplicationMessage, bool>? which = null)
    {
        var index = InFlight.FindIndex(m => which is null || which(m.From, m.To, m.Message));
        if (index < 0)
        {
            return false;
        }

        var (from, to, message) = InFlight[index];
        InFlight.RemoveAt(index);
        if (Drop(from, to, message))
        {
            return true;
        }

        if (message is ToReplicaMessage)
        {
            Take(to, Replicas[to].Handle(from, message, Now));
        }
        else if (Owners.TryGetValue(to, out var owner))
        {
            Take(to, owner.Handle(from, message, Now));
        }

        return true;
    }

    public void DeliverAll(Func<int, int, ReplicationMessage, bool>? which = null)
    {
        for (var i = 0; i < 100_000 && DeliverOne(which); i++)
        {
        }
    }

    /// <summary>Moves the clock, ticking every owner and replica each millisecond step given, delivering everything after each tick.</summary>
    public void Advance(TimeSpan by, bool deliver = true)
    {
        var end = Now + by;
        while (Now < end)
        {
            Now = Now + TimeSpan.FromMilliseconds(5) > end ? end : Now + TimeSpan.FromMilliseconds(5);
            foreach (var (id, replica) in Replicas)
            {
                Take(id, replica.Tick(Now));
            }

            foreach (var (id, owner) in Owners)
            {
                Take(id, owner.Tick(Now));
            }

            if (deliver)
            {
                DeliverAll();
            }
        }
    }

    public OwnerOutput Write(int owner, long tag, long offset, byte fill, int length = 8, bool fua = false)
    {
        var data = Enumerable.Repeat(fill, length).ToArray();
        var output = Owners[owner].Submit(new WriteRequest(tag, [new WriteRange(offset, length, data)], fua), Now);
        Take(owner, output);
        return output;
    }

    public byte[] Contents(int replica) => Stores[replica].Contents();

    public static LogEntry Entry(long index, long epoch, params WriteRange[] ranges) => new(index, epoch, ranges);

    public static WriteRange Bytes(long offset, byte fill, int length = 8) => new(offset, length, Enumerable.Repeat(fill, length).ToArray());
}
