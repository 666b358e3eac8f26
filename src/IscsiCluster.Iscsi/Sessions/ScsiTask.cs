using Akka.Actor;
using IscsiCluster.Scsi.Sam;

namespace IscsiCluster.Iscsi.Sessions;

/// <summary>One SCSI command of a session, from its SCSI Command PDU to its status.</summary>
internal sealed class ScsiTask
{
    public ScsiTask(uint initiatorTaskTag, bool immediate, ulong lunField, ulong lun, IActorRef lunActor)
    {
        InitiatorTaskTag = initiatorTaskTag;
        Immediate = immediate;
        LunField = lunField;
        Lun = lun;
        LunActor = lunActor;
    }

    public uint InitiatorTaskTag { get; }

    /// <summary>Sent with the I bit: bypasses CmdSN ordering and holds no window slot.</summary>
    public bool Immediate { get; }

    /// <summary>The 8-byte LUN field as received (echoed in Data-In).</summary>
    public ulong LunField { get; }

    public ulong Lun { get; }

    public IActorRef LunActor { get; }

    public required ReadOnlyMemory<byte> Cdb { get; init; }

    public required TaskAttribute Attribute { get; init; }

    /// <summary>The Expected Data Transfer Length of the command PDU.</summary>
    public required int ExpectedLength { get; init; }

    public required bool IsRead { get; init; }

    /// <summary>The write data being gathered; null for commands without data-out.</summary>
    public DataOutCollector? DataOut { get; init; }

    public TaskStage Stage { get; set; }

    /// <summary>Delivered in its CmdSN turn (it holds its window slot) but still waiting for data-out.</summary>
    public bool AwaitingData { get; set; }

    /// <summary>Bytes of the session's transfer budget this task holds (its data buffer); 0 once given back.</summary>
    public long ReservedBytes { get; set; }

    /// <summary>When (Environment.TickCount64) the task last received data-out, or was created.</summary>
    public long LastDataAt { get; set; } = Environment.TickCount64;

    /// <summary>Some of the data-out failed its data digest: the task ends with CHECK CONDITION once all of it is in.</summary>
    public bool DataDigestFailed { get; set; }

    /// <summary>Whether all data-out has arrived (always true without data-out).</summary>
    public bool DataComplete => DataOut is null || DataOut.IsComplete;
}

/// <summary>Where a task is.</summary>
internal enum TaskStage
{
    /// <summary>Waiting for its CmdSN turn or for data-out.</summary>
    Waiting,

    /// <summary>Handed to its LUN actor, waiting for CommandComplete.</summary>
    AtLun,

    /// <summary>Aborted in the session before it reached its LUN; dropped when its turn comes.</summary>
    Aborted,
}
