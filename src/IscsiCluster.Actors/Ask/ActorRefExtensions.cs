namespace IscsiCluster.Actors;

public static class ActorRefExtensions
{
    /// <summary>
    /// Sends <paramref name="message"/> with a temporary ref as sender and waits for its first reply.
    /// Throws <see cref="AskTimeoutException"/> after <paramref name="timeout"/>; a <see cref="Status.Failure"/> reply
    /// rethrows its cause.
    /// </summary>
    public static async Task<T> Ask<T>(this IActorRef target, object message, TimeSpan timeout, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(message);
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "An Ask timeout must be positive (or infinite)");
        }

        var future = new FutureActorRef<T>();
        target.Tell(message, future);
        try
        {
            return await future.Task.WaitAsync(timeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!future.Task.IsCompleted)
        {
            throw new AskTimeoutException($"Ask of {target.Path} with {message.GetType().Name} got no reply within {timeout}");
        }
        finally
        {
            future.Expire();
        }
    }

    /// <summary>Sends <paramref name="message"/> keeping the current Sender (inside an actor; anonymous elsewhere).</summary>
    public static void Forward(this IActorRef target, object message)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(message, ActorCell.CurrentSenderOrNoSender());
    }
}
