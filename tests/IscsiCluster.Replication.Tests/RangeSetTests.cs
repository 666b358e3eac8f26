using FsCheck;
using FsCheck.Fluent;
using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Tests;

public sealed class RangeSetTests
{
    [Fact]
    public void OverlappingAndTouchingRangesMerge()
    {
        var set = new RangeSet();
        set.Add(new ByteRange(10, 5));
        set.Add(new ByteRange(30, 5));
        set.Add(new ByteRange(15, 5));
        set.Add(new ByteRange(12, 20));
        Assert.Equal([new ByteRange(10, 25)], set.ToRanges());
        Assert.Equal(25, set.TotalBytes);
    }

    [Fact]
    public void TheUnionCoversExactlyTheBytesAddedAndChunksRespectTheirSize()
    {
        var ranges = Gen.ListOf(Gen.Zip(Gen.Choose(0, 200), Gen.Choose(1, 30)));
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(ranges.ToArbitrary(), Gen.Choose(1, 40).ToArbitrary(), (list, chunk) =>
        {
            var set = new RangeSet();
            var expected = new SortedSet<long>();
            foreach (var (offset, length) in list)
            {
                set.Add(new ByteRange(offset, length));
                for (var b = offset; b < offset + length; b++)
                {
                    expected.Add(b);
                }
            }

            var chunks = set.Chunk(chunk);
            var covered = chunks.SelectMany(c => c).SelectMany(r => Enumerable.Range((int)r.Offset, r.Length).Select(b => (long)b)).ToArray();
            return covered.SequenceEqual(expected) && set.TotalBytes == expected.Count
                && chunks.All(c => c.Sum(r => r.Length) <= chunk) && chunks.Count >= 1;
        }));
    }
}
