namespace IscsiCluster.Actors;

/// <summary>
/// Applies a Restart or Stop to every child when one of them fails. The failed child's own restart count decides
/// whether the retry limit is reached (then every child is stopped).
/// </summary>
public sealed class AllForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider)
    : SupervisorStrategy(maxNrOfRetries, withinTimeRange, decider)
{
    internal override bool AppliesToAllChildren => true;
}
