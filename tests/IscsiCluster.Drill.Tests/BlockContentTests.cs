namespace IscsiCluster.Drill.Tests;

/// <summary>A block read back tells which write it holds, or that it holds none.</summary>
public sealed class BlockContentTests
{
    [Fact]
    public void ABlockTellsItsVersion()
    {
        var block = new byte[BlockContent.Size];
        BlockContent.Fill(block, number: 17, version: 42);
        Assert.Equal(42, BlockContent.VersionOf(block, 17));
    }

    [Fact]
    public void ABlockOfAnotherNumberIsNone()
    {
        var block = new byte[BlockContent.Size];
        BlockContent.Fill(block, number: 17, version: 42);
        Assert.Null(BlockContent.VersionOf(block, 18));
    }

    [Theory]
    [InlineData(20)]
    [InlineData(100)]
    [InlineData(BlockContent.Size - 1)]
    public void ADamagedBlockIsNone(int offset)
    {
        var block = new byte[BlockContent.Size];
        BlockContent.Fill(block, number: 3, version: 9);
        block[offset] ^= 0x01;
        Assert.Null(BlockContent.VersionOf(block, 3));
    }

    [Fact]
    public void ANeverWrittenBlockIsNone() => Assert.Null(BlockContent.VersionOf(new byte[BlockContent.Size], 0));

    [Fact]
    public void VersionsOfOneBlockDiffer()
    {
        var first = new byte[BlockContent.Size];
        var second = new byte[BlockContent.Size];
        BlockContent.Fill(first, 5, 1);
        BlockContent.Fill(second, 5, 2);
        Assert.False(first.AsSpan(28).SequenceEqual(second.AsSpan(28)));
    }
}
