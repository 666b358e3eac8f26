using System.Text.Json.Serialization;
using IscsiCluster.Scsi.Sam;

namespace IscsiCluster.Node.Luns;

/// <summary>
/// The I/O one initiator port sent to one LUN, as tgt's <c>--op stat</c> reports it. A command that
/// carries data out counts as a write, one that allots data in as a read; the LUN actor counts from
/// the SAM messages only and never decodes a CDB. The counters cross nodes as JSON (a statistics report).
/// </summary>
public sealed class IoCounters
{
    [JsonInclude]
    public ulong ReadSubmittedBytes { get; private set; }

    [JsonInclude]
    public uint ReadSubmittedCommands { get; private set; }

    [JsonInclude]
    public ulong ReadDoneBytes { get; private set; }

    [JsonInclude]
    public uint ReadDoneCommands { get; private set; }

    [JsonInclude]
    public ulong WriteSubmittedBytes { get; private set; }

    [JsonInclude]
    public uint WriteSubmittedCommands { get; private set; }

    [JsonInclude]
    public ulong WriteDoneBytes { get; private set; }

    [JsonInclude]
    public uint WriteDoneCommands { get; private set; }

    [JsonInclude]
    public uint Errors { get; private set; }

    public void Submitted(ExecuteCommand command)
    {
        if (!command.DataOut.IsEmpty)
        {
            WriteSubmittedBytes += (ulong)command.DataOut.Length;
            WriteSubmittedCommands++;
        }
        else if (command.DataInLength > 0)
        {
            ReadSubmittedBytes += (ulong)command.DataInLength;
            ReadSubmittedCommands++;
        }
    }

    public void Done(ExecuteCommand command, CommandComplete result)
    {
        if (result.Status != ScsiStatus.Good)
        {
            Errors++;
        }

        if (!command.DataOut.IsEmpty)
        {
            WriteDoneBytes += result.Status == ScsiStatus.Good ? (ulong)command.DataOut.Length : 0;
            WriteDoneCommands++;
        }
        else if (command.DataInLength > 0)
        {
            ReadDoneBytes += (ulong)result.DataIn.Length;
            ReadDoneCommands++;
        }
    }

    /// <summary>A copy that no later command changes, to send in a message.</summary>
    public IoCounters Snapshot() => (IoCounters)MemberwiseClone();
}
