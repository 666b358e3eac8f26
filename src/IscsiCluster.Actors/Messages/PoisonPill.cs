namespace IscsiCluster.Actors;

/// <summary>Stops the actor once every message queued before it has been handled.</summary>
public sealed class PoisonPill
{
    private PoisonPill()
    {
    }

    public static PoisonPill Instance { get; } = new();

    public override string ToString() => nameof(PoisonPill);
}
