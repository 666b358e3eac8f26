namespace IscsiCluster.Actors;

/// <summary>
/// How a parent handles its children's failures. <c>maxNrOfRetries</c> -1 means unlimited restarts, 0 means none;
/// a <c>withinTimeRange</c> of zero or <see cref="Timeout.InfiniteTimeSpan"/> counts restarts over the child's whole life.
/// Once the limit is passed the child is stopped instead of restarted.
/// </summary>
public abstract class SupervisorStrategy
{
    private protected SupervisorStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNrOfRetries, -1);
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        Decider = decider;
    }

    /// <summary>Restart on any exception except initialization failures, <see cref="Kill"/> and death pacts, which stop.</summary>
    public static SupervisorStrategy DefaultStrategy { get; } = new OneForOneStrategy(-1, Timeout.InfiniteTimeSpan, DefaultDecider);

    public int MaxNrOfRetries { get; }

    public TimeSpan WithinTimeRange { get; }

    public Func<Exception, Directive> Decider { get; }

    /// <summary>True when a Restart or Stop applies to every sibling, not only the failed child.</summary>
    internal abstract bool AppliesToAllChildren { get; }

    public static Directive DefaultDecider(Exception cause) => cause switch
    {
        ActorInitializationException or ActorKilledException or DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };
}
