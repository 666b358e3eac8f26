namespace IscsiCluster.Actors;

/// <summary>Applies the decided directive to the failed child only.</summary>
public sealed class OneForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider)
    : SupervisorStrategy(maxNrOfRetries, withinTimeRange, decider)
{
    internal override bool AppliesToAllChildren => false;
}
