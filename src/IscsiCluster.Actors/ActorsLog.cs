using Microsoft.Extensions.Logging;

namespace IscsiCluster.Actors;

/// <summary>Log events of the actor runtime (event ids 1-99 are reserved for it).</summary>
internal static partial class ActorsLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Actor {Path} failed; its supervisor decided to {Directive} it")]
    public static partial void ChildFailed(ILogger logger, Exception cause, ActorPath path, Directive directive);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Actor {Path} failed; its supervisor resumed it with its state kept")]
    public static partial void ChildResumed(ILogger logger, Exception cause, ActorPath path);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Actor {Path} failed again after {MaxNrOfRetries} restarts in the window; stopping it")]
    public static partial void ChildRestartLimitReached(ILogger logger, Exception cause, ActorPath path, int maxNrOfRetries);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "A failure was escalated to guardian {Path}; it was logged and the guardian resumed")]
    public static partial void GuardianFailed(ILogger logger, Exception cause, ActorPath path);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "{Hook} of actor {Path} threw; the exception was ignored")]
    public static partial void LifecycleHookFailed(ILogger logger, Exception exception, string hook, ActorPath path);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Actor {Path} failed while stopping; the exception was ignored")]
    public static partial void FailedWhileStopping(ILogger logger, Exception exception, ActorPath path);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Dead letter: {MessageType} from {Sender} to {Recipient} was not delivered")]
    public static partial void DeadLetter(ILogger logger, string messageType, ActorPath sender, ActorPath recipient);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "Unhandled message: {MessageType} from {Sender} was not handled by {Recipient}")]
    public static partial void UnhandledMessage(ILogger logger, string messageType, ActorPath sender, ActorPath recipient);

    [LoggerMessage(EventId = 9, Level = LogLevel.Critical, Message = "The runtime itself threw while running the mailbox of {Path}")]
    public static partial void MailboxRunFailed(ILogger logger, Exception exception, ActorPath path);
}
