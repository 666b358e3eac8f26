using System.Buffers;
using IscsiCluster.Cluster.Transport;
using IscsiCluster.Scsi.Sam;

namespace IscsiCluster.Node.Forwarding;

/// <summary>
/// SCSI traffic between the node a session is on and the node that owns the LUN, on the data connections: commands
/// (with their data-out) and task management one way, answers (with their data-in) the other, and the loss of a nexus.
/// Each request carries a correlation number chosen by the sending node; its answer carries it back.
/// </summary>
internal static class ForwardedMessages
{
    public const byte Command = 32;
    public const byte Answer = 33;
    public const byte Management = 34;
    public const byte ManagementAnswer = 35;
    public const byte NexusLost = 36;

    public static void Write(ref WireWriter w, ITNexus nexus)
    {
        w.String(nexus.InitiatorName);
        w.String(nexus.InitiatorPortName);
        w.String(nexus.TargetName);
        w.Int32(nexus.TargetPortGroup);
        w.Int32(nexus.RelativeTargetPortId);
    }

    public static ITNexus ReadNexus(ref WireReader r) =>
        new(r.String(), r.String(), r.String(), checked((ushort)r.Int32()), checked((ushort)r.Int32()));
}

/// <summary>A command for the owner of <see cref="LunId"/>.</summary>
internal sealed class CommandFrame : IOutgoingFrame
{
    private readonly long _correlation;
    private readonly ulong _lunId;
    private readonly ExecuteCommand _command;

    public CommandFrame(long correlation, ulong lunId, ExecuteCommand command)
    {
        (_correlation, _lunId, _command) = (correlation, lunId, command);
        var measure = new WireWriter(null);
        Write(ref measure);
        PayloadLength = measure.Length;
    }

    public byte Kind => ForwardedMessages.Command;

    public int PayloadLength { get; }

    public void WritePayload(IBufferWriter<byte> output)
    {
        var writer = new WireWriter(output);
        Write(ref writer);
    }

    public static (long Correlation, ulong LunId, ExecuteCommand Command) Read(in ReadOnlySequence<byte> payload)
    {
        var r = new WireReader(payload);
        var correlation = r.Int64();
        var lunId = r.UInt64();
        var nexus = ForwardedMessages.ReadNexus(ref r);
        var command = new ExecuteCommand(nexus, r.UInt64(), unchecked((uint)r.Int32()), (TaskAttribute)r.Byte(), r.Bytes(), r.Bytes(), r.Int32());
        r.End();
        return (correlation, lunId, command);
    }

    private void Write(ref WireWriter w)
    {
        w.Int64(_correlation);
        w.UInt64(_lunId);
        ForwardedMessages.Write(ref w, _command.Nexus);
        w.UInt64(_command.Lun);
        w.Int32(unchecked((int)_command.TaskTag));
        w.Byte((byte)_command.Attribute);
        w.Bytes(_command.Cdb.Span);
        w.Bytes(_command.DataOut.Span);
        w.Int32(_command.DataInLength);
    }
}

/// <summary>The owner's answer to a forwarded command; the data-in buffer goes back to its pool once written.</summary>
internal sealed class AnswerFrame(long correlation, ulong lunId, CommandComplete complete) : IOutgoingFrame
{
    private readonly int _length = Measure(correlation, lunId, complete);

    public byte Kind => ForwardedMessages.Answer;

    public int PayloadLength => _length;

    public void WritePayload(IBufferWriter<byte> output)
    {
        var writer = new WireWriter(output);
        Write(ref writer, correlation, lunId, complete);
        Release();
    }

    /// <summary>Lets go of the data-in buffer (after writing, or when the frame could not be queued).</summary>
    public void Release() => Interlocked.Exchange(ref _release, null)?.Invoke();

    private Action? _release = complete.DataInRelease;

    public static (long Correlation, ulong LunId, CommandComplete Complete) Read(in ReadOnlySequence<byte> payload)
    {
        var r = new WireReader(payload);
        var correlation = r.Int64();
        var lunId = r.UInt64();
        var complete = new CommandComplete(unchecked((uint)r.Int32()), (ScsiStatus)r.Byte(), r.Bytes(), r.Bytes(), r.Int64());
        r.End();
        return (correlation, lunId, complete);
    }

    private static int Measure(long correlation, ulong lunId, CommandComplete complete)
    {
        var measure = new WireWriter(null);
        Write(ref measure, correlation, lunId, complete);
        return measure.Length;
    }

    private static void Write(ref WireWriter w, long correlation, ulong lunId, CommandComplete complete)
    {
        w.Int64(correlation);
        w.UInt64(lunId);
        w.Int32(unchecked((int)complete.TaskTag));
        w.Byte((byte)complete.Status);
        w.Bytes(complete.DataIn.Span);
        w.Bytes(complete.Sense.Span);
        w.Int64(complete.TransferLength);
    }
}

/// <summary>A task management function for the owner of a LUN, its answer, or the loss of a nexus (small: measured on the fly).</summary>
internal sealed class ControlFrame : IOutgoingFrame
{
    private readonly Action<WireWriterBox> _write;

    private ControlFrame(byte kind, Action<WireWriterBox> write)
    {
        Kind = kind;
        _write = write;
        var box = new WireWriterBox(null);
        write(box);
        PayloadLength = box.Length;
    }

    public byte Kind { get; }

    public int PayloadLength { get; }

    public void WritePayload(IBufferWriter<byte> output) => _write(new WireWriterBox(output));

    public static ControlFrame Management(long correlation, ulong lunId, TaskManagementRequest request) => new(ForwardedMessages.Management, w =>
    {
        w.Int64(correlation);
        w.UInt64(lunId);
        w.Nexus(request.Nexus);
        w.UInt64(request.Lun);
        w.Byte((byte)request.Function);
        w.Int64(request.ReferencedTaskTag);
    });

    public static ControlFrame ManagementAnswer(long correlation, ulong lunId, TaskManagementDone done) => new(ForwardedMessages.ManagementAnswer, w =>
    {
        w.Int64(correlation);
        w.UInt64(lunId);
        w.Byte((byte)done.Function);
        w.Byte((byte)done.Response);
    });

    public static ControlFrame NexusLost(ulong lunId, ITNexus nexus) => new(ForwardedMessages.NexusLost, w =>
    {
        w.UInt64(lunId);
        w.Nexus(nexus);
    });

    public static (long Correlation, ulong LunId, TaskManagementRequest Request) ReadManagement(in ReadOnlySequence<byte> payload)
    {
        var r = new WireReader(payload);
        var correlation = r.Int64();
        var lunId = r.UInt64();
        var request = new TaskManagementRequest(ForwardedMessages.ReadNexus(ref r), r.UInt64(), (TaskManagementFunction)r.Byte(), checked((uint)r.Int64()));
        r.End();
        return (correlation, lunId, request);
    }

    public static (long Correlation, ulong LunId, TaskManagementDone Done) ReadManagementAnswer(in ReadOnlySequence<byte> payload)
    {
        var r = new WireReader(payload);
        var result = (r.Int64(), r.UInt64(), new TaskManagementDone((TaskManagementFunction)r.Byte(), (TaskManagementResponse)r.Byte()));
        r.End();
        return result;
    }

    public static (ulong LunId, ITNexus Nexus) ReadNexusLost(in ReadOnlySequence<byte> payload)
    {
        var r = new WireReader(payload);
        var result = (r.UInt64(), ForwardedMessages.ReadNexus(ref r));
        r.End();
        return result;
    }
}

/// <summary>A <see cref="WireWriter"/> that lambdas can hold (a ref struct cannot be captured).</summary>
internal sealed class WireWriterBox(IBufferWriter<byte>? output)
{
    private readonly IBufferWriter<byte>? _output = output;

    public int Length { get; private set; }

    public void Byte(byte value) => Do(static (ref WireWriter w, long v) => w.Byte((byte)v), value);

    public void Int64(long value) => Do(static (ref WireWriter w, long v) => w.Int64(v), value);

    public void UInt64(ulong value) => Int64(unchecked((long)value));

    public void Nexus(ITNexus nexus)
    {
        var writer = new WireWriter(_output);
        ForwardedMessages.Write(ref writer, nexus);
        Length += writer.Length;
    }

    private delegate void Step(ref WireWriter writer, long value);

    private void Do(Step step, long value)
    {
        var writer = new WireWriter(_output);
        step(ref writer, value);
        Length += writer.Length;
    }
}
