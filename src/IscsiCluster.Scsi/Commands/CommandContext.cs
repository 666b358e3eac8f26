using IscsiCluster.Scsi.Attention;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Commands;

/// <summary>One command as a handler sees it.</summary>
/// <param name="Command">The request from the transport.</param>
/// <param name="Cdb">The CDB cut to the length its operation code implies.</param>
/// <param name="Nexus">The per-I_T-nexus state of the sender.</param>
/// <param name="CancellationToken">Cancels device I/O.</param>
internal sealed record CommandContext(ExecuteCommand Command, ReadOnlyMemory<byte> Cdb, NexusState Nexus, CancellationToken CancellationToken)
{
    /// <summary>
    /// Takes the first <paramref name="length"/> bytes of data-out. A buffer shorter
    /// than the CDB asks for fails with INVALID FIELD IN COMMAND INFORMATION UNIT (0Eh/03h),
    /// the answer Linux LIO gives when a write's expected data transfer length is below
    /// what its CDB describes: the CDB is valid, the length carried beside it in the
    /// command's information unit (the iSCSI SCSI Command PDU) is not, so INVALID FIELD IN
    /// CDB would blame the wrong field. Extra bytes are ignored (the transport reports the
    /// overflow from TransferLength).
    /// </summary>
    public bool TryTakeDataOut(long length, out ReadOnlyMemory<byte> data, out SenseProblem problem)
    {
        if (Command.DataOut.Length < length)
        {
            data = default;
            problem = SenseReason.InvalidFieldInCommandInformationUnit;
            return false;
        }

        data = Command.DataOut[..(int)length];
        problem = default;
        return true;
    }
}
