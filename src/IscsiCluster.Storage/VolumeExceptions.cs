namespace IscsiCluster.Storage;

/// <summary>The store holds no volume with this id.</summary>
public sealed class VolumeNotFoundException : KeyNotFoundException
{
    public VolumeNotFoundException(ulong volumeId)
        : base($"Volume {volumeId} does not exist in this block store.")
    {
        VolumeId = volumeId;
    }

    public ulong VolumeId { get; }
}

/// <summary>A volume with this id already exists.</summary>
public sealed class VolumeAlreadyExistsException : InvalidOperationException
{
    public VolumeAlreadyExistsException(ulong volumeId)
        : base($"Volume {volumeId} already exists in this block store; delete it first or choose another id.")
    {
        VolumeId = volumeId;
    }

    public ulong VolumeId { get; }
}
