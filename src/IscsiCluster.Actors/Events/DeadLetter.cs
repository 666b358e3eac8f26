namespace IscsiCluster.Actors;

/// <summary>A message that reached no handler; subscribe to this type on the <see cref="EventStream"/> to see both kinds.</summary>
public abstract record AllDeadLetters(object Message, IActorRef Sender, IActorRef Recipient);

/// <summary>A message sent to an actor that had stopped (or to <see cref="ActorSystem.DeadLetters"/>).</summary>
public sealed record DeadLetter(object Message, IActorRef Sender, IActorRef Recipient) : AllDeadLetters(Message, Sender, Recipient);

/// <summary>A message the recipient's current behavior did not handle.</summary>
public sealed record UnhandledMessage(object Message, IActorRef Sender, IActorRef Recipient) : AllDeadLetters(Message, Sender, Recipient);
