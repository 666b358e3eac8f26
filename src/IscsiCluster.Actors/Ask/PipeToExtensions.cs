namespace IscsiCluster.Actors;

public static class PipeToExtensions
{
    /// <summary>
    /// Tells <paramref name="recipient"/> the task's result (or <paramref name="success"/> of it) when it completes,
    /// or a <see cref="Status.Failure"/> (or <paramref name="failure"/> of the exception) when it fails.
    /// </summary>
    public static Task PipeTo<T>(
        this Task<T> task,
        IActorRef recipient,
        IActorRef? sender = null,
        Func<T, object>? success = null,
        Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        return PipeAsync(task, recipient, sender ?? ActorRefs.NoSender, success, failure);
    }

    /// <summary>Tells <paramref name="recipient"/> a <see cref="Status.Success"/> (or <paramref name="success"/>) or a failure.</summary>
    public static Task PipeTo(
        this Task task,
        IActorRef recipient,
        IActorRef? sender = null,
        Func<object>? success = null,
        Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        return PipeAsync(task, recipient, sender ?? ActorRefs.NoSender, success, failure);
    }

    private static async Task PipeAsync<T>(Task<T> task, IActorRef recipient, IActorRef sender, Func<T, object>? success, Func<Exception, object>? failure)
    {
        object reply;
        try
        {
            var result = await task.ConfigureAwait(false);
            reply = success is null ? (object?)result ?? new Status.Success(null) : success(result);
        }
        catch (Exception ex)
        {
            reply = failure is null ? new Status.Failure(ex) : failure(ex);
        }

        recipient.Tell(reply, sender);
    }

    private static async Task PipeAsync(Task task, IActorRef recipient, IActorRef sender, Func<object>? success, Func<Exception, object>? failure)
    {
        object reply;
        try
        {
            await task.ConfigureAwait(false);
            reply = success is null ? new Status.Success(null) : success();
        }
        catch (Exception ex)
        {
            reply = failure is null ? new Status.Failure(ex) : failure(ex);
        }

        recipient.Tell(reply, sender);
    }
}
