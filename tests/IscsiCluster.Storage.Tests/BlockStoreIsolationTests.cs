namespace IscsiCluster.Storage.Tests;

/// <summary>
/// Each volume has its own chunk locks: a writer holding one volume's chunks (a 4 MiB write, a resize) never holds back
/// I/O to another volume, while writers of the same volume still wait for each other.
/// </summary>
public sealed class BlockStoreIsolationTests : IDisposable
{
    private const int Chunk = 4096;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _dir = new();
    private readonly BlockStore _store;

    public BlockStoreIsolationTests()
    {
        _store = BlockStore.Open(_dir.Sub("store"), StoreTestOptions.Small);
        _store.CreateVolume(1, 64 * Chunk);
        _store.CreateVolume(2, 64 * Chunk);
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void WritesUnmapsAndGroupsOfAnotherVolumeCompleteWhileOneVolumeIsHeld()
    {
        var data = BlockStoreVolumeTests.Pattern(3 * Chunk, seed: 7);
        _store.Write(2, 10 * Chunk, data, sync: false);

        using (_store.LockWholeVolume(1))
        {
            // Every chunk of volume 1 is taken, so with shared stripes any chunk of volume 2 would wait too.
            var others = Background.Start(() =>
            {
                _store.Write(2, 100, data, sync: true);
                _store.Write(2, [new BlockWrite(20 * Chunk, data), new BlockWrite(40 * Chunk, data)], sync: false);
                _store.Unmap(2, 10 * Chunk, 3 * Chunk);
            });

            Assert.True(others.Join(Patience), "I/O to volume 2 waited for volume 1's locks");
        }

        Assert.Equal(data, Read(2, 100, data.Length));
        Assert.Equal(data, Read(2, 40 * Chunk, data.Length));
        Assert.Equal(new byte[3 * Chunk], Read(2, 10 * Chunk, 3 * Chunk));
    }

    [Fact]
    public void AResizeWaitingForItsVolumeDoesNotHoldBackAnotherVolume()
    {
        var data = BlockStoreVolumeTests.Pattern(Chunk, seed: 3);
        Background resize;
        using (_store.LockWholeVolume(1))
        {
            resize = Background.Start(() => _store.ResizeVolume(1, 128 * Chunk));
            var other = Background.Start(() => _store.Write(2, 5 * Chunk, data, sync: false));

            Assert.True(other.Join(Patience), "a write to volume 2 waited for volume 1's resize");
            Assert.False(resize.IsDone, "the resize ran while volume 1's chunks were held");
        }

        Assert.True(resize.Join(Patience));
        Assert.True(_store.TryGetVolume(1, out var resized));
        Assert.Equal(128 * Chunk, resized.SizeBytes);
        Assert.Equal(data, Read(2, 5 * Chunk, Chunk));
    }

    [Fact]
    public void WritersOfTheSameVolumeStillWaitForEachOther()
    {
        var data = BlockStoreVolumeTests.Pattern(Chunk, seed: 5);
        Background write;
        using (_store.LockWholeVolume(1))
        {
            write = Background.Start(() => _store.Write(1, 3 * Chunk, data, sync: false));

            // Held back for as long as the chunks are held: it has not written anything yet.
            Assert.False(write.Join(TimeSpan.FromMilliseconds(300)), "a write to volume 1 ran while its chunks were held");
            Assert.Equal(new byte[Chunk], Read(1, 3 * Chunk, Chunk));
        }

        Assert.True(write.Join(Patience));
        Assert.Equal(data, Read(1, 3 * Chunk, Chunk));
    }

    [Fact]
    public void AVolumeDeletedAndCreatedAgainGetsFreshLocksAndServesIo()
    {
        var data = BlockStoreVolumeTests.Pattern(Chunk, seed: 9);
        _store.Write(1, 0, data, sync: false);

        Assert.True(_store.DeleteVolume(1));
        Assert.Throws<VolumeNotFoundException>(() => _store.LockWholeVolume(1));
        _store.CreateVolume(1, 8 * Chunk);
        _store.Write(1, Chunk, data, sync: false);

        Assert.Equal(new byte[Chunk], Read(1, 0, Chunk));
        Assert.Equal(data, Read(1, Chunk, Chunk));
    }

    private byte[] Read(ulong volume, long offset, int length)
    {
        var buffer = new byte[length];
        _store.Read(volume, offset, buffer);
        return buffer;
    }

    /// <summary>Work on a thread of its own: the volume's locks are held by the test's thread, which must also release them.</summary>
    private sealed class Background
    {
        private readonly Thread _thread;
        private Exception? _failure;

        private Background(Action work)
        {
            _thread = new Thread(() =>
            {
                try
                {
                    work();
                }
                catch (Exception e)
                {
                    _failure = e;
                }
            });
            _thread.Start();
        }

        public bool IsDone => !_thread.IsAlive;

        public static Background Start(Action work) => new(work);

        /// <summary>True once the work ended within <paramref name="timeout"/>; its failure, if any, is thrown.</summary>
        public bool Join(TimeSpan timeout)
        {
            if (!_thread.Join(timeout))
            {
                return false;
            }

            return _failure is null ? true : throw new InvalidOperationException("the background work failed", _failure);
        }
    }
}
