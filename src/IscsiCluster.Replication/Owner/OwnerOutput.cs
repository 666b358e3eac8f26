using IscsiCluster.Replication.Messages;

namespace IscsiCluster.Replication.Owner;

/// <summary>
/// What one call into <see cref="OwnerCore"/> produced, for the host to act on: messages to send, commands to answer, writes
/// that were placed in the log, and the state after the call.
/// </summary>
public sealed class OwnerOutput
{
    internal OwnerOutput(
        IReadOnlyList<Outgoing> messages, IReadOnlyList<Completion> completions, IReadOnlyList<WriteAssignment> assigned, OwnerState state, bool stateChanged)
    {
        Messages = messages;
        Completions = completions;
        Assigned = assigned;
        State = state;
        StateChanged = stateChanged;
    }

    /// <summary>Messages to send, in order, to each <see cref="Outgoing.To"/> (the owner's own node included).</summary>
    public IReadOnlyList<Outgoing> Messages { get; }

    /// <summary>Writes and flushes that finished, successfully or not.</summary>
    public IReadOnlyList<Completion> Completions { get; }

    /// <summary>Writes accepted by this call, with their log position.</summary>
    public IReadOnlyList<WriteAssignment> Assigned { get; }

    /// <summary>The owner's state after the call.</summary>
    public OwnerState State { get; }

    /// <summary>True when <see cref="State"/> differs from the state after the previous call (report it, raise a unit attention).</summary>
    public bool StateChanged { get; }
}
