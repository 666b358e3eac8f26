using System.Runtime.InteropServices;

namespace IscsiCluster.Storage.RocksDb.Handles;

/// <summary>
/// Owns a <c>rocksdb_readoptions_t*</c>, freed with <c>rocksdb_readoptions_destroy</c>, and the
/// native copies of its iteration bounds: the C API keeps pointers to the bound keys rather than
/// copies, so the bytes live exactly as long as the options.
/// </summary>
internal sealed unsafe class ReadOptionsHandle : NativeHandle
{
    private byte* _lowerBound;
    private byte* _upperBound;

    private ReadOptionsHandle(nint readOptions)
        : base(readOptions, nameof(NativeMethods.rocksdb_readoptions_create))
    {
    }

    public static ReadOptionsHandle Create() => new(NativeMethods.rocksdb_readoptions_create());

    /// <summary>Read options for an iterator bounded to [<paramref name="lowerBound"/>, <paramref name="upperBound"/>); an empty bound means unbounded.</summary>
    public static ReadOptionsHandle CreateBounded(ReadOnlySpan<byte> lowerBound, ReadOnlySpan<byte> upperBound)
    {
        var options = Create();
        if (!lowerBound.IsEmpty)
        {
            options._lowerBound = CopyToNative(lowerBound);
            NativeMethods.rocksdb_readoptions_set_iterate_lower_bound(options.handle, options._lowerBound, (nuint)lowerBound.Length);
        }

        if (!upperBound.IsEmpty)
        {
            options._upperBound = CopyToNative(upperBound);
            NativeMethods.rocksdb_readoptions_set_iterate_upper_bound(options.handle, options._upperBound, (nuint)upperBound.Length);
        }

        return options;
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.rocksdb_readoptions_destroy(handle);
        NativeMemory.Free(_lowerBound);
        NativeMemory.Free(_upperBound);
        return true;
    }

    private static byte* CopyToNative(ReadOnlySpan<byte> bytes)
    {
        var copy = (byte*)NativeMemory.Alloc((nuint)bytes.Length);
        bytes.CopyTo(new Span<byte>(copy, bytes.Length));
        return copy;
    }
}
