using IscsiCluster.Cluster.Replication;
using IscsiCluster.Config;

namespace IscsiCluster.Cluster.Tests;

/// <summary>
/// The <c>iscsi-cluster.replication</c> section: the shipped timers, and timers that cannot work refused with the key named.
/// </summary>
public sealed class ReplicationOptionsTests
{
    [Fact]
    public void TheShippedTimersTickOftenerThanTheyRetryOrSync()
    {
        var options = ReplicationOptions.Create(Config.Config.Empty);

        Assert.Equal(TimeSpan.FromMilliseconds(50), options.TickInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.ReplicaTickInterval);
        Assert.True(options.TickInterval * 2 <= options.RetryInterval);
    }

    [Theory]
    [InlineData("tick-interval = 0ms", "tick-interval")]
    [InlineData("tick-interval = 60ms", "tick-interval")]
    [InlineData("retry-interval = 50ms", "tick-interval")]
    [InlineData("replica-tick-interval = 0ms", "replica-tick-interval")]
    [InlineData("replica-tick-interval = 2s", "replica-tick-interval")]
    public void ATimerThatCannotWorkIsRefusedNamingItsKey(string change, string named)
    {
        var config = Config.Config.ParseString($"iscsi-cluster.replication {{ {change} }}");

        var error = Assert.Throws<ConfigException>(() => ReplicationOptions.Create(config));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
