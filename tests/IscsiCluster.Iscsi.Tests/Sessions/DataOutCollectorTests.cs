using IscsiCluster.Iscsi.Sessions;

namespace IscsiCluster.Iscsi.Tests.Sessions;

public sealed class DataOutCollectorTests
{
    private static readonly DataOutLimits Unsolicited = new(ImmediateData: true, InitialR2T: false, FirstBurstLength: 1024, MaxBurstLength: 2048, MaxOutstandingR2T: 1);

    [Fact]
    public void ImmediateDataAloneCompletesAShortWrite()
    {
        var collector = new DataOutCollector(512, Unsolicited, unsolicitedFollows: false);

        Assert.Equal(DataOutError.None, collector.AcceptImmediate(Bytes(512, 1)));

        Assert.True(collector.IsComplete);
        Assert.Equal(Bytes(512, 1), collector.Buffer.ToArray());
    }

    [Fact]
    public void ImmediateDataBeyondTheFirstBurstIsRefused()
    {
        var collector = new DataOutCollector(4096, Unsolicited, unsolicitedFollows: false);

        Assert.Equal(DataOutError.BeyondLimit, collector.AcceptImmediate(new byte[2048]));
    }

    [Fact]
    public void ImmediateDataIsRefusedWhenNotNegotiated()
    {
        var collector = new DataOutCollector(512, Unsolicited with { ImmediateData = false }, unsolicitedFollows: false);

        Assert.Equal(DataOutError.UnexpectedData, collector.AcceptImmediate(new byte[512]));
    }

    [Fact]
    public void UnsolicitedDataOutFollowsImmediateDataUpToTheFirstBurst()
    {
        var collector = new DataOutCollector(1024, Unsolicited, unsolicitedFollows: true);
        collector.AcceptImmediate(new byte[256]);

        Assert.Equal(DataOutError.None, collector.AcceptUnsolicited(0, 256, new byte[256], final: false));
        Assert.Equal(DataOutError.None, collector.AcceptUnsolicited(1, 512, new byte[512], final: true));
        Assert.True(collector.IsComplete);
    }

    [Fact]
    public void UnsolicitedDataOutWithAWrongOffsetOrDataSnIsRefused()
    {
        var collector = new DataOutCollector(1024, Unsolicited, unsolicitedFollows: true);

        Assert.Equal(DataOutError.WrongOffset, collector.AcceptUnsolicited(0, 256, new byte[256], final: false));
        Assert.Equal(DataOutError.WrongDataSn, collector.AcceptUnsolicited(3, 0, new byte[256], final: false));
    }

    [Fact]
    public void UnsolicitedDataOutIsRefusedAfterTheCommandSaidNoneFollows()
    {
        var collector = new DataOutCollector(1024, Unsolicited, unsolicitedFollows: false);

        Assert.Equal(DataOutError.UnexpectedData, collector.AcceptUnsolicited(0, 0, new byte[256], final: true));
    }

    [Fact]
    public void RemainingDataIsSolicitedInBurstsAndOneR2TAtATime()
    {
        var collector = new DataOutCollector(5000, Unsolicited, unsolicitedFollows: false);
        collector.AcceptImmediate(new byte[1000]);

        Assert.True(collector.TryPlanR2T(7, out var first));
        Assert.False(collector.TryPlanR2T(8, out _));
        Assert.Equal(new R2TPlan(7, 0, 1000, 2048), first);

        Assert.Equal(DataOutError.None, collector.AcceptSolicited(7, 0, 1000, new byte[1024], final: false));
        Assert.Equal(DataOutError.None, collector.AcceptSolicited(7, 1, 2024, new byte[1024], final: true));
        Assert.True(collector.TryPlanR2T(8, out var second));
        Assert.Equal(new R2TPlan(8, 1, 3048, 1952), second);
        Assert.Equal(DataOutError.None, collector.AcceptSolicited(8, 0, 3048, new byte[1952], final: true));

        Assert.True(collector.IsComplete);
        Assert.Equal(2u, collector.R2TCount);
    }

    [Fact]
    public void NoR2TIsPlannedWhileUnsolicitedDataMayStillArrive()
    {
        var collector = new DataOutCollector(4096, Unsolicited, unsolicitedFollows: true);

        Assert.False(collector.TryPlanR2T(1, out _));
        collector.AcceptUnsolicited(0, 0, new byte[1024], final: true);
        Assert.True(collector.TryPlanR2T(1, out var plan));
        Assert.Equal(1024, plan.BufferOffset);
    }

    [Fact]
    public void SolicitedDataForAnUnknownTagOrBeyondTheBurstIsRefused()
    {
        var collector = new DataOutCollector(4096, Unsolicited, unsolicitedFollows: false);
        collector.TryPlanR2T(5, out _);

        Assert.Equal(DataOutError.UnknownTransferTag, collector.AcceptSolicited(6, 0, 0, new byte[512], final: false));
        Assert.Equal(DataOutError.BeyondLimit, collector.AcceptSolicited(5, 0, 0, new byte[4096], final: true));
        Assert.Equal(DataOutError.ShortBurst, collector.AcceptSolicited(5, 0, 0, new byte[512], final: true));
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
