using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace IscsiCluster.Node.Administration;

/// <summary>
/// The size of a file or block device named by <c>-b PATH</c>. A block device's inode has no size
/// (fstat reports 0), so for one the size is where lseek(2) puts the end, as tgt's backing stores do.
/// </summary>
internal static partial class BackingStoreSize
{
    private const int SeekEnd = 2;

    /// <summary>The size in bytes, or null when the path cannot be opened for reading.</summary>
    public static long? TryMeasure(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var length = RandomAccess.GetLength(handle);
            if (length == 0 && OperatingSystem.IsLinux())
            {
                var end = Lseek(handle, 0, SeekEnd);
                length = end > 0 ? end : 0;
            }

            return length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long Lseek(SafeFileHandle fileDescriptor, long offset, int whence);
}
