namespace IscsiCluster.Actors;

/// <summary>
/// The temporary sender of an Ask: the first reply completes the task (a <see cref="Status.Failure"/> faults it,
/// a reply of another type faults it with an InvalidCastException); later replies are dropped.
/// </summary>
internal sealed class FutureActorRef<T> : ActorRefBase
{
    private static readonly ActorPath TempPath = ActorPath.Root.Child("temp");
    private static long _nextId;

    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FutureActorRef()
    {
        Path = TempPath.Child("$" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public override ActorPath Path { get; }

    public Task<T> Task => _completion.Task;

    public override void Tell(object message, IActorRef? sender = null)
    {
        switch (message)
        {
            case T reply:
                _completion.TrySetResult(reply);
                break;
            case Status.Failure failure:
                _completion.TrySetException(failure.Cause);
                break;
            default:
                _completion.TrySetException(new InvalidCastException(
                    $"Ask<{typeof(T).Name}> expected a {typeof(T).Name} reply but got a {message?.GetType().Name ?? "null"}"));
                break;
        }
    }

    /// <summary>Stops waiting (timeout or cancellation) so a late reply is ignored.</summary>
    public void Expire() => _completion.TrySetCanceled();
}
