namespace IscsiCluster.Actors;

/// <summary>Makes the actor fail with an <see cref="ActorKilledException"/> when it reaches the head of the mailbox.</summary>
public sealed class Kill
{
    private Kill()
    {
    }

    public static Kill Instance { get; } = new();

    public override string ToString() => nameof(Kill);
}
