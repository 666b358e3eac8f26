namespace IscsiCluster.Replication.Log;

/// <summary>
/// A union of byte ranges kept sorted and merged: the blocks a catch-up must ship are the union of the ranges of many entries,
/// and each block must be shipped once.
/// </summary>
public sealed class RangeSet
{
    private readonly List<(long Start, long End)> _runs = [];

    /// <summary>Total bytes covered.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>True when nothing has been added.</summary>
    public bool IsEmpty => _runs.Count == 0;

    /// <summary>Adds the bytes [offset, end).</summary>
    public void Add(long offset, long end)
    {
        if (end <= offset)
        {
            return;
        }

        // Find the first run that ends at or after the new start: everything before it stays, runs it touches merge.
        var i = 0;
        while (i < _runs.Count && _runs[i].End < offset)
        {
            i++;
        }

        var start = offset;
        var stop = end;
        var j = i;
        while (j < _runs.Count && _runs[j].Start <= stop)
        {
            start = Math.Min(start, _runs[j].Start);
            stop = Math.Max(stop, _runs[j].End);
            TotalBytes -= _runs[j].End - _runs[j].Start;
            j++;
        }

        _runs.RemoveRange(i, j - i);
        _runs.Insert(i, (start, stop));
        TotalBytes += stop - start;
    }

    /// <summary>Adds one range.</summary>
    public void Add(ByteRange range) => Add(range.Offset, range.End);

    /// <summary>
    /// The union cut into pieces of at most <paramref name="maxBytes"/> each, in offset order; consecutive pieces may split one run.
    /// Always at least one (possibly empty) chunk, so that a catch-up with nothing to ship still has a last chunk to install.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<ByteRange>> Chunk(int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        var chunks = new List<IReadOnlyList<ByteRange>>();
        var current = new List<ByteRange>();
        long room = maxBytes;
        foreach (var (start, end) in _runs)
        {
            var at = start;
            while (at < end)
            {
                var take = Math.Min(end - at, room);
                current.Add(new ByteRange(at, (int)take));
                at += take;
                room -= take;
                if (room == 0)
                {
                    chunks.Add(current);
                    current = [];
                    room = maxBytes;
                }
            }
        }

        if (current.Count > 0 || chunks.Count == 0)
        {
            chunks.Add(current);
        }

        return chunks;
    }

    /// <summary>The merged runs in offset order (a run longer than <see cref="int.MaxValue"/> bytes comes as several).</summary>
    public IReadOnlyList<ByteRange> ToRanges()
    {
        var ranges = new List<ByteRange>(_runs.Count);
        foreach (var (start, end) in _runs)
        {
            for (var at = start; at < end; at += int.MaxValue)
            {
                ranges.Add(new ByteRange(at, (int)Math.Min(int.MaxValue, end - at)));
            }
        }

        return ranges;
    }
}
