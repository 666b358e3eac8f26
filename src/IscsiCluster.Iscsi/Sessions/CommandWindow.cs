namespace IscsiCluster.Iscsi.Sessions;

/// <summary>
/// The session-wide command numbering of RFC 7143 4.2.2.1: the target accepts
/// non-immediate commands whose CmdSN lies in [ExpCmdSN, MaxCmdSN] and hands them on in
/// CmdSN order, holding back those that arrive early. The window admits at most
/// <c>depth</c> commands that are queued or running: MaxCmdSN advances as they complete,
/// and never moves backwards.
/// </summary>
/// <typeparam name="T">What is held back for an early command.</typeparam>
internal sealed class CommandWindow<T>
{
    private readonly int _depth;
    private readonly Dictionary<uint, T> _early = [];
    private int _running;

    public CommandWindow(uint initialCmdSn, int depth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        _depth = depth;
        ExpCmdSn = initialCmdSn;
    }

    /// <summary>The next CmdSN expected in order.</summary>
    public uint ExpCmdSn { get; private set; }

    /// <summary>The last CmdSN the initiator may send now.</summary>
    public uint MaxCmdSn => unchecked(ExpCmdSn - 1 + (uint)(_depth - _running));

    /// <summary>
    /// Takes a non-immediate command. Returns <see cref="WindowVerdict.OutsideWindow"/> when its
    /// CmdSN lies outside [ExpCmdSN, MaxCmdSN] (RFC 7143 3.2.2.1: the command is dropped),
    /// <see cref="WindowVerdict.Duplicate"/> when that CmdSN is already waiting, and otherwise
    /// <see cref="WindowVerdict.Accepted"/>; in-order commands then come out of <see cref="TryTakeNext"/>.
    /// </summary>
    public WindowVerdict Offer(uint cmdSn, T command)
    {
        if (!SerialNumber.InWindow(cmdSn, ExpCmdSn, MaxCmdSn))
        {
            return WindowVerdict.OutsideWindow;
        }

        return _early.TryAdd(cmdSn, command) ? WindowVerdict.Accepted : WindowVerdict.Duplicate;
    }

    /// <summary>Takes the command numbered ExpCmdSN if it has arrived, advancing ExpCmdSN.</summary>
    public bool TryTakeNext(out T command)
    {
        if (_early.Remove(ExpCmdSn, out command!))
        {
            ExpCmdSn++;
            _running++;
            return true;
        }

        return false;
    }

    /// <summary>Reports that a command taken by <see cref="TryTakeNext"/> has ended, opening one slot.</summary>
    public void Complete()
    {
        if (_running == 0)
        {
            throw new InvalidOperationException("No command is running.");
        }

        _running--;
    }
}

/// <summary>What <see cref="CommandWindow{T}.Offer"/> decided.</summary>
internal enum WindowVerdict
{
    Accepted,
    OutsideWindow,
    Duplicate,
}
