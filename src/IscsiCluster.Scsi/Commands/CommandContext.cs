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
    /// Takes the first <paramref name="length"/> bytes of data-out that must arrive whole (a
    /// parameter list, VERIFY's compare data, WRITE ATOMIC's blocks). A buffer shorter than the
    /// CDB asks for fails with INVALID FIELD IN COMMAND INFORMATION UNIT (0Eh/03h): the CDB is
    /// valid, the length carried beside it in the command's information unit (the iSCSI SCSI
    /// Command PDU) is not, so INVALID FIELD IN CDB would blame the wrong field. Extra bytes
    /// are ignored (the transport reports the underflow from TransferLength).
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

    /// <summary>
    /// Takes the blocks a write carries. RFC 7143 11.4.5.1 and SAM-5 5.4.3: when the initiator's
    /// expected data transfer length is below what the CDB describes, the device server moves
    /// only what the initiator sent and the transport reports the rest as residual overflow;
    /// so <paramref name="data"/> holds the whole blocks that arrived (at most
    /// <paramref name="blocks"/>), and the command reports the CDB's bytes as its transfer length.
    /// Data-out that ends inside a block cannot be written as blocks: that is INVALID FIELD IN
    /// COMMAND INFORMATION UNIT, still with the CDB's bytes as transfer length so the overflow
    /// is reported. Bytes beyond the CDB's length are ignored (the transport reports the underflow).
    /// </summary>
    public bool TryTakeBlocks(uint blocks, int blockSize, out ReadOnlyMemory<byte> data, out CommandResult refusal)
    {
        var wanted = (long)blocks * blockSize;
        var sent = Command.DataOut;
        if (sent.Length >= wanted)
        {
            data = sent[..(int)wanted];
            refusal = default;
            return true;
        }

        if (sent.Length % blockSize != 0)
        {
            data = default;
            refusal = CommandResult.Check(SenseReason.InvalidFieldInCommandInformationUnit, wanted);
            return false;
        }

        data = sent;
        refusal = default;
        return true;
    }
}
