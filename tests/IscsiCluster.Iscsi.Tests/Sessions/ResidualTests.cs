using IscsiCluster.Iscsi.Sessions;

namespace IscsiCluster.Iscsi.Tests.Sessions;

public sealed class ResidualTests
{
    [Theory]
    [InlineData(4096, 4096L, false, false, 0u)]
    [InlineData(4096, 1024L, false, true, 3072u)]
    [InlineData(1024, 4096L, true, false, 3072u)]
    [InlineData(0, 512L, true, false, 512u)]
    [InlineData(512, 0L, false, true, 512u)]
    public void ResidualComparesTheExpectedAndTheActualTransferLength(int expected, long actual, bool overflow, bool underflow, uint residual) =>
        Assert.Equal((overflow, underflow, residual), SessionActor.Residual(expected, actual));
}
