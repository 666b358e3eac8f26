namespace IscsiCluster.Node.Tests;

public sealed class MallocArenasTests
{
    [Fact]
    public void OnGlibcTheArenaCapIsAppliedUnlessTheEnvironmentSetsOne()
    {
        Assert.True(OperatingSystem.IsLinux(), "the node runs on Debian");

        var applied = MallocArenas.TryLimit();

        Assert.Equal(Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is null, applied);
    }
}
