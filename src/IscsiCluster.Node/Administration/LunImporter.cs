using System.Buffers.Binary;
using Akka.Actor;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Admin.Server;
using IscsiCluster.Scsi.Sam;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Administration;

/// <summary>
/// Copies a file or block device into a new LUN (<c>-b PATH</c>) the way an initiator would: SCSI writes through this
/// node's port of the LUN, so the data goes to its owner and is replicated like any other write. Zero chunks are skipped
/// (a new LUN is thin and reads zeros), progress is reported as it goes, and a SYNCHRONIZE CACHE ends it, so the import is
/// durable on a majority before the command returns. A LUN that is not served yet (its owner starting) is retried.
/// </summary>
public sealed class LunImporter(int chunkSize, ILogger logger)
{
    private const int ProgressSteps = 100;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(60);

    private uint _tag;

    /// <summary>
    /// Fault point Import_BeforeChunk: awaited before each chunk of the backing store is read, with the chunk's offset.
    /// Tests hold an import here to see what the node answers meanwhile; null (no pause) otherwise.
    /// </summary>
    internal Func<long, CancellationToken, Task>? BeforeChunk { get; set; }

    public async Task ImportAsync(IActorRef port, LunDefinition lun, int self, IAdminProgress progress, CancellationToken cancellationToken)
    {
        var path = lun.BackingStoreDescription;
        var nexus = new ITNexus("iqn.2026-11.io.iscsicluster:import", $"iqn.2026-11.io.iscsicluster:import,i,0x{self:x12}", "import", (ushort)self, (ushort)self);
        var activity = $"importing {path}";
        var buffer = new byte[chunkSize - chunkSize % lun.BlockSize];
        var length = lun.SizeBytes;
        var reportEvery = Math.Max(buffer.Length, length / ProgressSteps);
        var nextReport = 0L;
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.SequentialScan);
            for (var offset = 0L; offset < length;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (BeforeChunk is { } beforeChunk)
                {
                    await beforeChunk(offset, cancellationToken);
                }

                var want = (int)Math.Min(buffer.Length, length - offset);
                var read = RandomAccess.Read(handle, buffer.AsSpan(0, want), offset);
                if (read == 0)
                {
                    throw new LunImportException($"{path} ended at byte {offset} of {length} (was it truncated during the import?)");
                }

                if (buffer.AsSpan(0, read).ContainsAnyExcept((byte)0))
                {
                    await RunAsync(port, nexus, Write16(offset / lun.BlockSize, read / lun.BlockSize), buffer.AsMemory(0, read).ToArray(), cancellationToken);
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

        // The import is acknowledged only once its data is synced on a majority, like every write with FUA.
        await RunAsync(port, nexus, [0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0], ReadOnlyMemory<byte>.Empty, cancellationToken);
        NodeLog.Imported(logger, path, length, lun.VolumeId ?? 0);
    }

    private async Task RunAsync(IActorRef port, ITNexus nexus, byte[] cdb, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ReadyDeadline;
        while (true)
        {
            var answer = await port.Ask<CommandComplete>(
                new ExecuteCommand(nexus, 1, Interlocked.Increment(ref _tag), TaskAttribute.Simple, cdb, data, 0), CommandTimeout, cancellationToken);
            if (answer.Status == ScsiStatus.Good)
            {
                return;
            }

            // NOT READY (the owner is starting) and UNIT ATTENTION (the import's first command on this owner) are retried.
            var key = answer.Sense.Length > 2 ? answer.Sense.Span[2] & 0x0F : 0;
            if (key is not (0x2 or 0x6) || DateTime.UtcNow > deadline)
            {
                throw new LunImportException($"the LUN refused a write (status {answer.Status}, sense {Convert.ToHexString(answer.Sense.Span)})");
            }

            await Task.Delay(RetryPause, cancellationToken);
        }
    }

    private static byte[] Write16(long lba, int blocks)
    {
        var cdb = new byte[16];
        cdb[0] = 0x8A;
        BinaryPrimitives.WriteInt64BigEndian(cdb.AsSpan(2), lba);
        BinaryPrimitives.WriteInt32BigEndian(cdb.AsSpan(10), blocks);
        return cdb;
    }

    /// <summary>A client that went away does not stop the import; the LUN is still filled.</summary>
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
}

/// <summary>A backing store could not be imported; the message names the file and what went wrong.</summary>
public sealed class LunImportException(string message, Exception? inner = null) : Exception(message, inner);
