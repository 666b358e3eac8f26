using System.Runtime.InteropServices;

namespace IscsiCluster.Storage.RocksDb.Handles;

/// <summary>
/// Base of every handle owning a RocksDB C API object: the object is freed exactly once, by the
/// subclass's <see cref="SafeHandle.ReleaseHandle"/>, after the last lease taken with
/// <see cref="Lease"/> has ended, so a concurrent Dispose never frees memory a call is using.
/// </summary>
internal abstract class NativeHandle : SafeHandle
{
    protected NativeHandle(nint pointer, string createdBy)
        : base(0, ownsHandle: true)
    {
        if (pointer == 0)
        {
            throw new RocksDbException($"{createdBy} returned no object.");
        }

        SetHandle(pointer);
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Keeps the native object alive until the lease is disposed; throws ObjectDisposedException once closed.</summary>
    public HandleLease Lease() => new(this);
}

/// <summary>A reference held on a <see cref="SafeHandle"/> for the duration of one native call sequence.</summary>
internal readonly ref struct HandleLease
{
    private readonly SafeHandle _handle;

    public HandleLease(SafeHandle handle)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        _handle = handle;
        Pointer = handle.DangerousGetHandle();
    }

    public nint Pointer { get; }

    public void Dispose() => _handle.DangerousRelease();
}
