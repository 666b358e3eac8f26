namespace IscsiCluster.Replication.Tests.Simulation;

/// <summary>
/// The simulation's only source of randomness: SplitMix64, fixed here so that a seed replays the same schedule on every
/// machine and runtime version (System.Random's seeded algorithm is not a promise).
/// </summary>
internal sealed class SimRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextULong()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, max).</summary>
    public int Next(int max) => max <= 1 ? 0 : (int)(NextULong() % (ulong)max);

    /// <summary>Uniform in [min, max].</summary>
    public long Range(long min, long max) => max <= min ? min : min + (long)(NextULong() % (ulong)(max - min + 1));

    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => probability > 0 && NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A System.Random seeded from this stream, for the protocol's own randomness.</summary>
    public Random NewRandom() => new((int)(NextULong() & 0x7FFFFFFF));
}
