using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Commands;

/// <summary>
/// What a handler answers: a status, the data-in it produced (already cut to the
/// CDB's allocation length) and the transfer length, or a sense problem.
/// </summary>
internal readonly record struct CommandResult(ScsiStatus Status, ReadOnlyMemory<byte> DataIn, long TransferLength, SenseProblem? Problem)
{
    /// <summary>Gives <see cref="DataIn"/>'s buffer back to its pool; null when it is not pooled.</summary>
    public Action? DataInRelease { get; init; }

    /// <summary>GOOD with no data.</summary>
    public static CommandResult Good => new(ScsiStatus.Good, ReadOnlyMemory<byte>.Empty, 0, null);

    /// <summary>
    /// GOOD with data-in: SPC-4 4.2.5.6, the device server stops after ALLOCATION LENGTH
    /// bytes, which is not an error; what the command transfers is the shorter of the two.
    /// </summary>
    public static CommandResult WithData(byte[] data, uint allocationLength)
    {
        var length = (int)Math.Min(data.Length, allocationLength);
        return new(ScsiStatus.Good, data.AsMemory(0, length), length, null);
    }

    /// <summary>GOOD with data-in that is not subject to an allocation length (READ).</summary>
    public static CommandResult WithData(ReadOnlyMemory<byte> data) => new(ScsiStatus.Good, data, data.Length, null);

    /// <summary>GOOD after consuming <paramref name="bytes"/> of data-out.</summary>
    public static CommandResult Consumed(long bytes) => new(ScsiStatus.Good, ReadOnlyMemory<byte>.Empty, bytes, null);

    /// <summary>RESERVATION CONFLICT (SAM-5 5.3.1): no sense data, nothing transferred.</summary>
    public static CommandResult ReservationConflict => new(ScsiStatus.ReservationConflict, ReadOnlyMemory<byte>.Empty, 0, null);

    /// <summary>CHECK CONDITION for <paramref name="problem"/>.</summary>
    public static CommandResult Check(SenseProblem problem) => new(ScsiStatus.CheckCondition, ReadOnlyMemory<byte>.Empty, 0, problem);

    /// <summary>
    /// CHECK CONDITION for <paramref name="problem"/> that still reports what the command
    /// asked to move (<paramref name="transferLength"/> bytes), so the transport can tell the
    /// initiator by how much its expected data transfer length fell short (RFC 7143 11.4.5.1).
    /// </summary>
    public static CommandResult Check(SenseProblem problem, long transferLength) =>
        new(ScsiStatus.CheckCondition, ReadOnlyMemory<byte>.Empty, transferLength, problem);

    /// <summary>CHECK CONDITION for a problem.</summary>
    public static implicit operator CommandResult(SenseProblem problem) => Check(problem);

    /// <summary>CHECK CONDITION for a reason with no details.</summary>
    public static implicit operator CommandResult(SenseReason reason) => Check(reason);
}
