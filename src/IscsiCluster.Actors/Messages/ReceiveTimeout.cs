namespace IscsiCluster.Actors;

/// <summary>Delivered after the inactivity period set with <see cref="IActorContext.SetReceiveTimeout"/>.</summary>
public sealed class ReceiveTimeout
{
    private ReceiveTimeout()
    {
    }

    public static ReceiveTimeout Instance { get; } = new();

    public override string ToString() => nameof(ReceiveTimeout);
}
