namespace IscsiCluster.Actors.Tests;

/// <summary>
/// Tests that measure inactivity (receive timeout) or load the ThreadPool hard (mailbox stress) run alone, after
/// the parallel ones, so one cannot starve the other on a small shared machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitiveCollection
{
    public const string Name = "Timing-sensitive";
}
