using IscsiCluster.Iscsi.Sessions;

namespace IscsiCluster.Iscsi.Tests.Sessions;

public sealed class CommandWindowTests
{
    [Fact]
    public void InOrderCommandsComeOutAtOnce()
    {
        var window = new CommandWindow<string>(10, depth: 4);

        Assert.Equal(WindowVerdict.Accepted, window.Offer(10, "a"));
        Assert.True(window.TryTakeNext(out var taken));

        Assert.Equal("a", taken);
        Assert.Equal(11u, window.ExpCmdSn);
    }

    [Fact]
    public void EarlyCommandsWaitForTheGapToFill()
    {
        var window = new CommandWindow<string>(10, depth: 4);

        window.Offer(12, "c");
        window.Offer(11, "b");
        Assert.False(window.TryTakeNext(out _));
        window.Offer(10, "a");

        var order = new List<string>();
        while (window.TryTakeNext(out var next))
        {
            order.Add(next);
        }

        Assert.Equal(["a", "b", "c"], order);
    }

    [Fact]
    public void CommandsBeyondMaxCmdSnOrBeforeExpCmdSnAreOutsideTheWindow()
    {
        var window = new CommandWindow<string>(10, depth: 4);

        Assert.Equal(13u, window.MaxCmdSn);
        Assert.Equal(WindowVerdict.OutsideWindow, window.Offer(14, "late"));
        Assert.Equal(WindowVerdict.OutsideWindow, window.Offer(9, "old"));
        Assert.Equal(WindowVerdict.Accepted, window.Offer(13, "last"));
    }

    [Fact]
    public void ARepeatedCmdSnIsADuplicate()
    {
        var window = new CommandWindow<string>(10, depth: 4);
        window.Offer(11, "b");

        Assert.Equal(WindowVerdict.Duplicate, window.Offer(11, "b again"));
    }

    [Fact]
    public void MaxCmdSnStaysWhileCommandsRunAndAdvancesAsTheyComplete()
    {
        var window = new CommandWindow<string>(10, depth: 4);
        window.Offer(10, "a");
        window.TryTakeNext(out _);

        Assert.Equal(13u, window.MaxCmdSn);
        window.Complete();
        Assert.Equal(14u, window.MaxCmdSn);
    }

    [Fact]
    public void AFullWindowAdmitsNothingUntilACommandCompletes()
    {
        var window = new CommandWindow<int>(0, depth: 2);
        window.Offer(0, 0);
        window.Offer(1, 1);
        window.TryTakeNext(out _);
        window.TryTakeNext(out _);

        Assert.Equal(WindowVerdict.OutsideWindow, window.Offer(2, 2));
        window.Complete();
        Assert.Equal(WindowVerdict.Accepted, window.Offer(2, 2));
    }

    [Fact]
    public void TheWindowWrapsAroundTwoToTheThirtySecond()
    {
        var window = new CommandWindow<string>(uint.MaxValue, depth: 4);

        Assert.Equal(WindowVerdict.Accepted, window.Offer(0, "after wrap"));
        Assert.Equal(WindowVerdict.Accepted, window.Offer(uint.MaxValue, "before wrap"));
        Assert.True(window.TryTakeNext(out var first));
        Assert.True(window.TryTakeNext(out var second));

        Assert.Equal("before wrap", first);
        Assert.Equal("after wrap", second);
        Assert.Equal(1u, window.ExpCmdSn);
    }

    [Fact]
    public void CompletingWithNothingRunningIsAnError() =>
        Assert.Throws<InvalidOperationException>(() => new CommandWindow<int>(0, 4).Complete());
}
