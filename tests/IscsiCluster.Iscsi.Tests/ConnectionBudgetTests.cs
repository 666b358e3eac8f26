using IscsiCluster.Iscsi.Connections;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Sessions;
using HoconConfig = IscsiCluster.Config.Config;

namespace IscsiCluster.Iscsi.Tests;

public sealed class ConnectionBudgetTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private static ConnectionBudget Budget(string limits) =>
        new(IscsiSettings.Create(HoconConfig.ParseString($"iscsi-cluster.iscsi.limits {{ {limits} }}")).Limits);

    [Fact]
    public async Task TheReaderWaitsWhileTooManyPdusArePendingAndGoesOnOnceTheSessionHandledOne()
    {
        var budget = Budget("max-pending-pdus = 2");
        budget.Read(100);
        budget.Read(100);
        Assert.False(budget.HasRoom);

        var waiting = budget.WaitForRoomAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        budget.Consumed(100);

        await waiting.WaitAsync(Patience);
        Assert.Equal(1, budget.PendingPdus);
        Assert.Equal(2, budget.PeakPendingPdus);
    }

    [Fact]
    public async Task TheReaderWaitsWhileAnswersPileUpAndGoesOnOnceTheyAreSent()
    {
        var budget = Budget("max-output-bytes = 8 KiB");
        budget.Queued(8 * 1024);
        Assert.False(budget.HasRoom);

        var waiting = budget.WaitForRoomAsync(CancellationToken.None).AsTask();
        budget.Sent(1);

        await waiting.WaitAsync(Patience);
        Assert.True(budget.HasRoom);
    }

    [Fact]
    public async Task AWaitingReaderIsReleasedWhenTheConnectionCloses()
    {
        var budget = Budget("max-pending-bytes = 4 KiB");
        budget.Read(5000);
        using var closed = new CancellationTokenSource();

        var waiting = budget.WaitForRoomAsync(closed.Token).AsTask();
        await closed.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Patience));
    }

    [Fact]
    public void DataInCountsOnlyItsHeaderBecauseTheTransferBudgetCountsItsData()
    {
        var data = new byte[4096];

        Assert.Equal(48 + 4096, ConnectionBudget.CostOf(new NopInPdu { Data = data }));
        Assert.Equal(48, ConnectionBudget.CostOf(new ScsiDataInPdu { Data = data }));
    }

    [Fact]
    public void TheTransferBudgetNeverReservesBeyondItsCapacityNorOneInitiatorBeyondItsShare()
    {
        var budget = new TransferBudget(capacity: 1000, perInitiator: 600);

        Assert.True(budget.TryReserve("a", 600));
        Assert.False(budget.TryReserve("a", 1));
        Assert.False(budget.TryReserve("b", 401));
        Assert.True(budget.TryReserve("b", 400));
        budget.Release("a", 600);
        Assert.True(budget.TryReserve("a", 600));
        budget.Release("a", 600);
        budget.Release("b", 400);

        Assert.Equal(0, budget.Used);
        Assert.Equal(1000, budget.Peak);
    }
}
