namespace IscsiCluster.Actors;

/// <summary>An actor left a <see cref="Terminated"/> of an actor it watched unhandled; the default strategy stops it.</summary>
public sealed class DeathPactException : Exception
{
    public DeathPactException()
    {
    }

    public DeathPactException(string message)
        : base(message)
    {
    }

    public DeathPactException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
