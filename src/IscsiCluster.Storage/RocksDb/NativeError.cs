using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IscsiCluster.Storage.RocksDb;

/// <summary>Turns a <c>char** errptr</c> result into a <see cref="RocksDbException"/>, freeing the message.</summary>
internal static class NativeError
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfSet(nint error)
    {
        if (error != 0)
        {
            Throw(error);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(nint error)
    {
        var message = Marshal.PtrToStringUTF8(error) ?? string.Empty;
        NativeMethods.rocksdb_free(error);
        throw new RocksDbException(message);
    }
}
