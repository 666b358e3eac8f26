using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Admin.Server;
using IscsiCluster.Node.Luns;
using IscsiCluster.Storage;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Administration;

/// <summary>
/// The volumes behind disk LUNs: created thin, or filled once from a file or block device
/// (<c>-b PATH</c>) so the LUN never depends on that file again; resized online; deleted with their unit state.
/// </summary>
public sealed class LunVolumes(BlockStore store, int chunkSize, ILogger logger)
{
    // Progress is reported about this often (in hundredths of the whole), not for every chunk.
    private const int ProgressSteps = 100;

    /// <summary>Creates the volume of a new LUN: empty, or with the contents of its backing store.</summary>
    /// <exception cref="LunImportException">The backing store could not be read to the end; no volume remains.</exception>
    public async Task<ulong> CreateAsync(LunDefinition lun, IAdminProgress progress, CancellationToken cancellationToken)
    {
        var id = LunProvisioner.NewId();
        store.CreateVolume(id, lun.SizeBytes);
        if (lun.Source == LunSource.Thin)
        {
            return id;
        }

        try
        {
            await ImportAsync(id, lun.BackingStoreDescription, lun.SizeBytes, progress, cancellationToken);
            return id;
        }
        catch
        {
            store.DeleteVolume(id);
            throw;
        }
    }

    private async Task ImportAsync(ulong id, string path, long length, IAdminProgress progress, CancellationToken cancellationToken)
    {
        var activity = $"importing {path}";
        var buffer = new byte[chunkSize];
        var reportEvery = Math.Max(chunkSize, length / ProgressSteps);
        var nextReport = 0L;
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.SequentialScan);
            for (var offset = 0L; offset < length;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var want = (int)Math.Min(buffer.Length, length - offset);
                var read = RandomAccess.Read(handle, buffer.AsSpan(0, want), offset);
                if (read == 0)
                {
                    throw new LunImportException($"{path} ended at byte {offset} of {length} (was it truncated during the import?)");
                }

                // Zeros are what a thin volume already reads: skipping them keeps the LUN thin.
                var chunk = buffer.AsSpan(0, read);
                if (chunk.ContainsAnyExcept((byte)0))
                {
                    store.Write(id, offset, chunk, sync: false);
                }

                offset += read;
                if (offset >= nextReport || offset == length)
                {
                    await TryReportAsync(progress, new AdmProgress(activity, offset, length), cancellationToken);
                    nextReport = offset + reportEvery;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LunImportException($"{path}: {e.Message}", e);
        }

        // The import is acknowledged only once its data is on disk, like every write.
        store.Flush();
        NodeLog.Imported(logger, path, length, id);
    }

    /// <summary>A client that went away does not stop the import; the LUN is still created.</summary>
    private static async Task TryReportAsync(IAdminProgress progress, AdmProgress step, CancellationToken cancellationToken)
    {
        try
        {
            await progress.ReportAsync(step, cancellationToken);
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Resizes a LUN's volume (synced by the store). The running LUN sees the new size on its next command
    /// (<see cref="StoreBlockDevice.BlockCount"/>); shrinking frees the data past the new end.
    /// </summary>
    public void Resize(ulong volumeId, long fromBytes, long toBytes)
    {
        store.ResizeVolume(volumeId, toBytes);
        NodeLog.VolumeResized(logger, volumeId, fromBytes, toBytes);
    }

    /// <summary>
    /// Gives each LUN's volume the size <paramref name="configuration"/> records: a crash between resizing a
    /// volume and storing the configuration that names the new size leaves them apart, and the stored
    /// configuration (what the administrator was told) wins.
    /// </summary>
    public void MatchSizes(ClusterConfiguration configuration)
    {
        foreach (var lun in configuration.Targets.SelectMany(t => t.Luns))
        {
            if (lun.VolumeId is { } id && store.TryGetVolume(id, out var volume) && volume.SizeBytes != lun.SizeBytes)
            {
                NodeLog.VolumeSizeRestored(logger, id, volume.SizeBytes, lun.SizeBytes);
                store.ResizeVolume(id, lun.SizeBytes);
            }
        }
    }

    /// <summary>Deletes a LUN's volume and the unit state kept beside it.</summary>
    public void Delete(ulong volumeId)
    {
        store.DeleteVolume(volumeId);
        foreach (var entry in store.ListMetadata(StoreUnitState.Prefix(volumeId)))
        {
            store.DeleteMetadata(entry.Key, sync: false);
        }

        store.Flush();
    }

    /// <summary>
    /// Deletes volumes no LUN of <paramref name="configuration"/> uses: left by a crash between creating a
    /// LUN's volume and storing the configuration that names it.
    /// </summary>
    public void DeleteOrphans(ClusterConfiguration configuration)
    {
        var used = configuration.Targets.SelectMany(t => t.Luns).Select(l => l.VolumeId).OfType<ulong>().ToHashSet();
        foreach (var volume in store.ListVolumes().Where(v => !used.Contains(v.Id)))
        {
            NodeLog.OrphanVolumeDeleted(logger, volume.Id, volume.SizeBytes);
            Delete(volume.Id);
        }
    }
}

/// <summary>A backing store could not be imported; the message names the file and what went wrong.</summary>
public sealed class LunImportException(string message, Exception? inner = null) : Exception(message, inner);
