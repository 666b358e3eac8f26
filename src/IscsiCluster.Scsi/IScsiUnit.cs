using IscsiCluster.Scsi.Sam;

namespace IscsiCluster.Scsi;

/// <summary>
/// A logical unit's SCSI engine. A LUN actor holds one and calls it for each message,
/// one at a time (so implementations are not thread-safe and need not be); only the
/// medium transfers of commands for which <see cref="MayOverlap"/> holds may still be under
/// way when the next call begins.
/// </summary>
public interface IScsiUnit
{
    /// <summary>
    /// Runs one command. The answer's DataIn never exceeds <see cref="ExecuteCommand.DataInLength"/>;
    /// its TransferLength is what the command moves before that cut (data-in: the data up to
    /// the CDB's ALLOCATION LENGTH or the blocks read; data-out: the bytes the CDB asks for;
    /// zero on CHECK CONDITION, except when a write's data-out ends inside a block, where it
    /// stays the CDB's bytes so the transport reports the overflow). Sense is fixed format (D_SENSE is zero).
    /// </summary>
    ValueTask<CommandComplete> ExecuteAsync(ExecuteCommand command, CancellationToken ct = default);

    /// <summary>
    /// True when the caller may start later commands before <paramref name="command"/>'s
    /// <see cref="ExecuteAsync"/> task has completed: the call makes every check and change of
    /// the unit's state before it first yields, and after that only moves data between the
    /// medium and a buffer (a SIMPLE READ or WRITE). For any other command the caller waits for
    /// the task before the next call.
    /// </summary>
    bool MayOverlap(ExecuteCommand command);

    /// <summary>Runs a task management function (SAM-5 7).</summary>
    TaskManagementDone Manage(TaskManagementRequest request);

    /// <summary>The I_T nexus is gone: its pending unit attentions give way to I_T NEXUS LOSS OCCURRED (SAM-5 6.3.4).</summary>
    void OnNexusLost(ITNexus nexus);

    /// <summary>
    /// The target's LUNs (LUN 0 included), for REPORT LUNS. Each LUN must be at most
    /// <see cref="LunAddress.MaxLun"/>. A change after the first call owes every known
    /// nexus REPORTED LUNS DATA HAS CHANGED.
    /// </summary>
    void SetInventory(IReadOnlyList<ulong> luns);
}
