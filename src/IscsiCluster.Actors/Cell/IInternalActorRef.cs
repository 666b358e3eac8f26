namespace IscsiCluster.Actors;

/// <summary>A ref that can take system messages (a real actor, or the root supervisor above the guardians).</summary>
internal interface IInternalActorRef : IActorRef
{
    void SendSystemMessage(SystemMessage message);
}
