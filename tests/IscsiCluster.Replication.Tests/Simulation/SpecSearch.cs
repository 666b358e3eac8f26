namespace IscsiCluster.Replication.Tests.Simulation;

/// <summary>
/// Walks a fixed, seeded sequence of random schedules looking for one that breaks a check: what the tests of deliberately
/// broken protocols use, so that the seed they report is the same on every run.
/// </summary>
internal static class SpecSearch
{
    public static SimSpec Random(SimRandom random, ProtocolBreakage breakage) => new(
        (uint)random.NextULong(),
        random.Chance(0.25) ? 5 : 3,
        random.Next(4),
        random.Next(4),
        random.Next(4),
        random.Next(4),
        random.Next(4),
        random.Next(4),
        random.Next(4),
        random.Next(4),
        random.Next(41),
        random.Next(4),
        random.Chance(0.5),
        breakage,
        random.Chance(0.25));

    /// <summary>The first of <paramref name="limit"/> schedules that breaks a check, with the violation; null if none does.</summary>
    public static (SimSpec Spec, string Violation, int Tried)? FirstViolation(ProtocolBreakage breakage, int limit, ulong seed = 1)
    {
        var random = new SimRandom(seed);
        for (var i = 1; i <= limit; i++)
        {
            var spec = Random(random, breakage);
            var sim = Schedule.Run(spec);
            if (sim.Violations.Count > 0)
            {
                return (spec, sim.Violations[0], i);
            }
        }

        return null;
    }
}
