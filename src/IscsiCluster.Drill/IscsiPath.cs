namespace IscsiCluster.Drill;

/// <summary>What one attempt of a command on one path came to.</summary>
internal enum Outcome
{
    /// <summary>GOOD.</summary>
    Good,

    /// <summary>A unit attention: the command was not run; initiators send it again on the same path.</summary>
    UnitAttention,

    /// <summary>NOT READY (for example ASYMMETRIC ACCESS STATE TRANSITION): the path is alive, the LUN not served there now.</summary>
    NotReady,

    /// <summary>No answer: the connection failed, was refused or timed out. The path is down until it reconnects.</summary>
    PathDown,

    /// <summary>Any other CHECK CONDITION or status: an error the initiator would report to the application.</summary>
    Failed,
}

/// <summary>
/// One path to a LUN: a libiscsi session through one portal, with its target port group's asymmetric access state as
/// dm-multipath's <c>prio alua</c> reads it. libiscsi's own reconnection is off, so a lost connection shows as
/// <see cref="Outcome.PathDown"/> and the multipath layer decides. One thread at a time: a path that is not logged in
/// belongs to whoever logs it in (the multipath checker), a logged-in one to the thread issuing commands, which alone
/// closes it.
/// </summary>
internal sealed unsafe class IscsiPath : IDisposable
{
    private readonly string _initiator;
    private volatile IntPtr _context;
    private int _group = -1;

    static IscsiPath() => Libiscsi.DropConnectionOnLogoutRequest();

    public IscsiPath(string portal, string target, int lun, string initiator, int timeoutSeconds)
    {
        Portal = portal;
        Target = target;
        Lun = lun;
        _initiator = initiator;
        TimeoutSeconds = timeoutSeconds;
    }

    public string Portal { get; }

    public string Target { get; }

    public int Lun { get; }

    public int TimeoutSeconds { get; }

    public bool Connected => _context != IntPtr.Zero;

    /// <summary>The last failure's description.</summary>
    public string LastError { get; private set; } = "";

    /// <summary>ASC and ASCQ (ASC in the high byte) of the last CHECK CONDITION.</summary>
    public int LastSense { get; private set; }

    /// <summary>The path's priority from its group's access state when last read (0 until read, or when it cannot be).</summary>
    public int Priority { get; private set; }

    /// <summary>Logs in, reads the path's target port group and its access state, and only then offers the path for I/O.</summary>
    public bool TryConnect()
    {
        Close();
        var context = Libiscsi.CreateContext(_initiator);
        if (context == IntPtr.Zero)
        {
            LastError = "libiscsi could not create a context";
            return false;
        }

        Libiscsi.SetTargetName(context, Target);
        Libiscsi.SetSessionType(context, Libiscsi.SessionNormal);
        Libiscsi.SetNoAutoReconnect(context, 1);
        Libiscsi.SetTimeout(context, TimeoutSeconds);
        // Connect and log in, nothing more: libiscsi's full connect also sends TEST UNIT READY and gives the connection up
        // when the LUN is NOT READY (in transition during a move), where a multipath initiator keeps the path logged in.
        // libiscsi's socket is not close-on-exec: a node the drill restarts would inherit it and keep the session open.
        if (Libiscsi.ConnectSync(context, Portal) != 0 || !Libiscsi.CloseOnExec(context) || Libiscsi.LoginSync(context) != 0)
        {
            LastError = Libiscsi.ErrorOf(context);
            Libiscsi.DestroyContext(context);
            return false;
        }

        _group = TargetPortGroupOf(context) ?? -1;
        Priority = PriorityOf(context);
        _context = context;
        return true;
    }

    /// <summary>Reads the path's access state again (REPORT TARGET PORT GROUPS); the path closes if it does not answer.</summary>
    public void ReadAccessState()
    {
        if (Connected)
        {
            Priority = PriorityOf(_context);
        }
    }

    private int? TargetPortGroupOf(IntPtr context)
    {
        var page = new byte[256];
        return Command(context, Alua.DeviceIdentificationCdb, page) ? Alua.TargetPortGroupOf(page) : null;
    }

    private int PriorityOf(IntPtr context)
    {
        var answer = new byte[Alua.ReportLength];
        return _group >= 0 && Command(context, Alua.ReportTargetPortGroupsCdb, answer) ? Alua.PriorityOf(answer, _group) : 0;
    }

    /// <summary>
    /// Runs a data-in command on <paramref name="context"/> into <paramref name="buffer"/>, again after a unit attention
    /// as initiators do; true when GOOD. A transport failure on the logged-in context closes the path.
    /// </summary>
    private bool Command(IntPtr context, byte[] cdb, byte[] buffer, int unitAttentions = 0)
    {
        fixed (byte* cdbPointer = cdb)
        fixed (byte* bufferPointer = buffer)
        {
            var task = Libiscsi.CreateTask(cdb.Length, cdbPointer, Libiscsi.TransferRead, buffer.Length);
            if (task == IntPtr.Zero)
            {
                return false;
            }

            try
            {
                Libiscsi.AddDataInBuffer(task, buffer.Length, bufferPointer);
                var status = -1;
                if (Libiscsi.ScsiCommandSync(context, Lun, task, IntPtr.Zero) != IntPtr.Zero)
                {
                    Libiscsi.Sense sense;
                    status = Libiscsi.TaskGetStatus(task, &sense);
                    if (status == 2 && sense.Key == 6 && ++unitAttentions <= 8)
                    {
                        // A unit attention (the first command of a new nexus meets POWER ON OCCURRED): the command was not run.
                        return Command(context, cdb, buffer, unitAttentions);
                    }
                }

                if ((status == -1 || status >= 0x0f000000) && context == _context)
                {
                    LastError = Libiscsi.ErrorOf(context);
                    Close();
                }

                return status == 0;
            }
            finally
            {
                Libiscsi.FreeTask(task);
            }
        }
    }

    public Outcome Write(long lba, byte[] data, int blockSize)
    {
        if (!Connected)
        {
            return Outcome.PathDown;
        }

        fixed (byte* pointer = data)
        {
            return Finish(Libiscsi.Write16Sync(_context, Lun, (ulong)lba, pointer, (uint)data.Length, blockSize, 0, 0, 0, 0, 0));
        }
    }

    public Outcome Read(long lba, byte[] buffer, int blockSize)
    {
        if (!Connected)
        {
            return Outcome.PathDown;
        }

        fixed (byte* pointer = buffer)
        {
            var vector = new Libiscsi.IoVector { Base = pointer, Length = (nuint)buffer.Length };
            return Finish(Libiscsi.Read16IovSync(_context, Lun, (ulong)lba, (uint)buffer.Length, blockSize, 0, 0, 0, 0, 0, &vector, 1));
        }
    }

    private Outcome Finish(IntPtr task)
    {
        if (task == IntPtr.Zero)
        {
            LastError = Libiscsi.ErrorOf(_context);
            Close();
            return Outcome.PathDown;
        }

        try
        {
            Libiscsi.Sense sense;
            var status = Libiscsi.TaskGetStatus(task, &sense);
            switch (status)
            {
                case 0:
                    return Outcome.Good;
                case 2 when sense.Key == 6:
                    LastSense = sense.Ascq;
                    LastError = $"UNIT ATTENTION {sense.Ascq:x4}";
                    return Outcome.UnitAttention;
                case 2 when sense.Key == 2:
                    LastSense = sense.Ascq;
                    LastError = $"NOT READY {sense.Ascq:x4}";
                    return Outcome.NotReady;
                case 8 or 0x28:
                    // BUSY, TASK SET FULL: the target asks for the command again later.
                    LastError = $"status {status:x2}";
                    return Outcome.NotReady;
                case >= 0x0f000000:
                    // libiscsi's own: cancelled, transport error, timeout.
                    LastError = $"{Libiscsi.ErrorOf(_context)} (libiscsi status {status:x})";
                    Close();
                    return Outcome.PathDown;
                default:
                    LastError = $"status {status:x2}, sense key {sense.Key:x}, {sense.Ascq:x4}";
                    return Outcome.Failed;
            }
        }
        finally
        {
            Libiscsi.FreeTask(task);
        }
    }

    private void Close()
    {
        if (_context != IntPtr.Zero)
        {
            Libiscsi.DestroyContext(_context);
            _context = IntPtr.Zero;
        }
    }

    public void Dispose() => Close();
}
