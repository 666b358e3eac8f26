using Akka.Actor;
using IscsiCluster.Node.Targets;

namespace IscsiCluster.Node.Administration;

/// <summary>
/// Answers other nodes' (and this node's) questions about the sessions on this node's portal, for cluster-wide show and
/// for the checks that refuse to delete a target someone is logged in to. It is apart from the configuration actor,
/// which handles one admin request at a time: two nodes each applying a request and asking the other never wait on each other.
/// </summary>
public sealed class NodeSessionsActor : ReceiveActor
{
    /// <summary>Its name under /user on every node.</summary>
    public const string Name = "node-sessions";

    public NodeSessionsActor(int self, TargetDirectory directory)
    {
        ReceiveAsync<GetNodeSessions>(async _ =>
        {
            var replyTo = Sender;
            replyTo.Tell(new NodeSessions(self, await directory.SessionsAsync(CancellationToken.None)));
        });
    }
}
