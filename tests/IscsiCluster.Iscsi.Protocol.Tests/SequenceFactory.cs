using System.Buffers;

namespace IscsiCluster.Iscsi.Protocol.Tests;

/// <summary>Builds multi-segment sequences, as a Pipe delivers them.</summary>
internal static class SequenceFactory
{
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        var points = cuts.Where(c => c > 0 && c < data.Length).Distinct().Order().ToList();
        if (points.Count == 0)
        {
            return new ReadOnlySequence<byte>(data);
        }

        points.Add(data.Length);
        var first = new Segment(data.AsMemory(0, points[0]), 0);
        var last = first;
        for (var i = 1; i < points.Count; i++)
        {
            last = last.Append(data.AsMemory(points[i - 1], points[i] - points[i - 1]));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>One segment per byte: the worst fragmentation.</summary>
    public static ReadOnlySequence<byte> ByteByByte(byte[] data) => Split(data, Enumerable.Range(1, Math.Max(0, data.Length - 1)).ToArray());

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
