using System.Numerics;

namespace IscsiCluster.Storage;

/// <summary>
/// One volume's striped locks serializing writers of the same chunk, so a read-modify-write of a partial chunk never
/// interleaves with another write, unmap or change of that volume. Each volume has its own instance (made and dropped
/// with the volume), so a large write to one volume never waits on another's. Chunk <c>c</c> maps to stripe
/// <c>c mod StripeCount</c>: consecutive chunks take consecutive stripes. Every acquisition takes its stripes in
/// ascending index order, which rules out deadlock between ranges; a resize or delete of the volume takes all stripes.
/// </summary>
internal sealed class ChunkLocks
{
    /// <summary>Stripes per volume: a write of up to this many chunks takes distinct stripes.</summary>
    public const int StripeCount = 256;

    private const int StripeMask = StripeCount - 1;

    private readonly Lock[] _stripes = new Lock[StripeCount];

    public ChunkLocks()
    {
        for (var i = 0; i < _stripes.Length; i++)
        {
            _stripes[i] = new Lock();
        }
    }

    /// <summary>Locks the stripes of chunks [<paramref name="firstChunk"/>, firstChunk + <paramref name="chunkCount"/>).</summary>
    public Held Acquire(long firstChunk, long chunkCount)
    {
        if (chunkCount >= StripeCount)
        {
            return AcquireAll();
        }

        var start = StripeOf(firstChunk);
        var end = start + (int)chunkCount;
        if (end <= StripeCount)
        {
            return Take(start, end, 0, 0);
        }

        // The range wraps: [0, end - StripeCount) is below [start, StripeCount), so take it first.
        return Take(0, end - StripeCount, start, StripeCount);
    }

    public Held AcquireAll() => Take(0, StripeCount, 0, 0);

    /// <summary>
    /// Locks the stripes of several chunk ranges at once (a group of writes), in ascending stripe order like every other
    /// acquisition. Stripes are taken once even when ranges share them.
    /// </summary>
    public HeldSet AcquireMany(ReadOnlySpan<(long FirstChunk, long ChunkCount)> ranges)
    {
        var stripes = new ulong[StripeCount / 64];
        foreach (var (firstChunk, chunkCount) in ranges)
        {
            if (chunkCount >= StripeCount)
            {
                Array.Fill(stripes, ulong.MaxValue);
                break;
            }

            var start = StripeOf(firstChunk);
            for (var i = 0; i < chunkCount; i++)
            {
                var stripe = (start + i) & StripeMask;
                stripes[stripe >> 6] |= 1UL << (stripe & 63);
            }
        }

        for (var word = 0; word < stripes.Length; word++)
        {
            for (var bits = stripes[word]; bits != 0; bits &= bits - 1)
            {
                _stripes[(word << 6) + BitOperations.TrailingZeroCount(bits)].Enter();
            }
        }

        return new HeldSet(this, stripes);
    }

    /// <summary>The stripe of one chunk.</summary>
    private static int StripeOf(long chunk) => (int)(chunk & StripeMask);

    private Held Take(int firstStart, int firstEnd, int secondStart, int secondEnd)
    {
        for (var i = firstStart; i < firstEnd; i++)
        {
            _stripes[i].Enter();
        }

        for (var i = secondStart; i < secondEnd; i++)
        {
            _stripes[i].Enter();
        }

        return new Held(this, firstStart, firstEnd, secondStart, secondEnd);
    }

    /// <summary>Stripes held until Dispose.</summary>
    public readonly struct Held : IDisposable
    {
        private readonly ChunkLocks _owner;
        private readonly int _firstStart;
        private readonly int _firstEnd;
        private readonly int _secondStart;
        private readonly int _secondEnd;

        internal Held(ChunkLocks owner, int firstStart, int firstEnd, int secondStart, int secondEnd)
        {
            _owner = owner;
            _firstStart = firstStart;
            _firstEnd = firstEnd;
            _secondStart = secondStart;
            _secondEnd = secondEnd;
        }

        public void Dispose()
        {
            var stripes = _owner._stripes;
            for (var i = _secondEnd - 1; i >= _secondStart; i--)
            {
                stripes[i].Exit();
            }

            for (var i = _firstEnd - 1; i >= _firstStart; i--)
            {
                stripes[i].Exit();
            }
        }
    }

    /// <summary>A set of stripes held until Dispose.</summary>
    public readonly struct HeldSet : IDisposable
    {
        private readonly ChunkLocks _owner;
        private readonly ulong[] _stripes;

        internal HeldSet(ChunkLocks owner, ulong[] stripes)
        {
            _owner = owner;
            _stripes = stripes;
        }

        public void Dispose()
        {
            // In descending order, the reverse of the acquisition.
            for (var word = _stripes.Length - 1; word >= 0; word--)
            {
                for (var bits = _stripes[word]; bits != 0;)
                {
                    var top = 63 - BitOperations.LeadingZeroCount(bits);
                    _owner._stripes[(word << 6) + top].Exit();
                    bits &= ~(1UL << top);
                }
            }
        }
    }
}
