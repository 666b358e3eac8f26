using System.Runtime.InteropServices;

namespace IscsiCluster.Drill;

/// <summary>
/// The few calls of libiscsi (Debian's <c>libiscsi7</c>, the initiator library of libiscsi-bin and QEMU) the drill's
/// initiator needs: its synchronous API, one context per path.
/// </summary>
internal static unsafe partial class Libiscsi
{
    private const string Library = "libiscsi.so.7";

    /// <summary>
    /// Makes libiscsi drop a connection when the target asks for a logout (Async Message, event 1) instead of logging out and
    /// logging in again to the same portal with the commands still queued on it: what the kernel initiator under dm-multipath
    /// amounts to (it logs out, fails the path, and the commands go down the others). libiscsi reads this from the process
    /// environment, which .NET's Environment does not write to.
    /// </summary>
    public static void DropConnectionOnLogoutRequest() => SetEnvironment("LIBISCSI_DROP_CONN_ON_ASYNC_EVENT1", "1", 1);

    /// <summary>Marks the context's socket close-on-exec, which libiscsi does not: processes the drill starts must not hold its connections.</summary>
    public static bool CloseOnExec(IntPtr context)
    {
        const int SetDescriptorFlags = 2; // F_SETFD
        const int CloseOnExecFlag = 1; // FD_CLOEXEC
        var fd = GetFd(context);
        return fd >= 0 && SetDescriptor(fd, SetDescriptorFlags, CloseOnExecFlag) == 0;
    }

    [LibraryImport(Library, EntryPoint = "iscsi_get_fd")]
    private static partial int GetFd(IntPtr context);

    [LibraryImport("libc", EntryPoint = "fcntl")]
    private static partial int SetDescriptor(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);

    public const int SessionNormal = 2;

    [LibraryImport(Library, EntryPoint = "iscsi_create_context", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr CreateContext(string initiatorName);

    [LibraryImport(Library, EntryPoint = "iscsi_destroy_context")]
    public static partial int DestroyContext(IntPtr context);

    [LibraryImport(Library, EntryPoint = "iscsi_set_targetname", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetTargetName(IntPtr context, string targetName);

    [LibraryImport(Library, EntryPoint = "iscsi_set_session_type")]
    public static partial int SetSessionType(IntPtr context, int type);

    [LibraryImport(Library, EntryPoint = "iscsi_set_timeout")]
    public static partial int SetTimeout(IntPtr context, int seconds);

    [LibraryImport(Library, EntryPoint = "iscsi_set_noautoreconnect")]
    public static partial void SetNoAutoReconnect(IntPtr context, int state);

    [LibraryImport(Library, EntryPoint = "iscsi_connect_sync", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ConnectSync(IntPtr context, string portal);

    [LibraryImport(Library, EntryPoint = "iscsi_login_sync")]
    public static partial int LoginSync(IntPtr context);

    [LibraryImport(Library, EntryPoint = "iscsi_get_error")]
    public static partial IntPtr GetError(IntPtr context);

    [LibraryImport(Library, EntryPoint = "iscsi_write16_sync")]
    public static partial IntPtr Write16Sync(IntPtr context, int lun, ulong lba, byte* data, uint length, int blockSize,
        int wrprotect, int dpo, int fua, int fuaNv, int groupNumber);

    [LibraryImport(Library, EntryPoint = "iscsi_read16_iov_sync")]
    public static partial IntPtr Read16IovSync(IntPtr context, int lun, ulong lba, uint length, int blockSize,
        int rdprotect, int dpo, int fua, int fuaNv, int groupNumber, IoVector* iov, int iovCount);

    /// <summary>libiscsi's <c>SCSI_XFER_READ</c>: the command reads from the target.</summary>
    public const int TransferRead = 1;

    [LibraryImport(Library, EntryPoint = "scsi_create_task")]
    public static partial IntPtr CreateTask(int cdbSize, byte* cdb, int transferDirection, int expectedLength);

    [LibraryImport(Library, EntryPoint = "scsi_task_add_data_in_buffer")]
    public static partial int AddDataInBuffer(IntPtr task, int length, byte* buffer);

    /// <summary>Sends <paramref name="task"/> and waits for its answer: the task, or zero when it could not be sent (the task stays the caller's).</summary>
    [LibraryImport(Library, EntryPoint = "iscsi_scsi_command_sync")]
    public static partial IntPtr ScsiCommandSync(IntPtr context, int lun, IntPtr task, IntPtr data);

    [LibraryImport(Library, EntryPoint = "scsi_task_get_status")]
    public static partial int TaskGetStatus(IntPtr task, Sense* sense);

    [LibraryImport(Library, EntryPoint = "scsi_free_scsi_task")]
    public static partial void FreeTask(IntPtr task);

    public static string ErrorOf(IntPtr context) => Marshal.PtrToStringUTF8(GetError(context)) ?? "unknown error";

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVector
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary>libiscsi's <c>struct scsi_sense</c>: error type, sense key, ASC/ASCQ (as one int), then fields the drill does not read.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Sense
    {
        public byte ErrorType;
        public int Key;
        public int Ascq;
        public fixed byte Rest[32];
    }
}
