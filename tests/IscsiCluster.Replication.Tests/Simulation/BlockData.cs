namespace IscsiCluster.Replication.Tests.Simulation;

/// <summary>
/// Block contents in the simulation: each write puts a value unique to it and to the block into every block it writes, so a
/// block's contents name exactly the write that left them (zeros: the initial state or an unmap).
/// </summary>
internal static class BlockData
{
    public const int BlockBytes = 8;
    private const byte MarkA = 0xA5;
    private const byte MarkB = 0x5A;

    public static void Encode(int writeId, int block, Span<byte> destination)
    {
        BitConverter.TryWriteBytes(destination, writeId);
        BitConverter.TryWriteBytes(destination[4..], (ushort)block);
        destination[6] = MarkA;
        destination[7] = MarkB;
    }

    /// <summary>The write that left these contents in <paramref name="block"/>, 0 for zeros, -1 for anything no write wrote there.</summary>
    public static int Decode(ReadOnlySpan<byte> contents, int block)
    {
        if (!contents.ContainsAnyExcept((byte)0))
        {
            return 0;
        }

        var id = BitConverter.ToInt32(contents);
        return id > 0 && BitConverter.ToUInt16(contents[4..]) == block && contents[6] == MarkA && contents[7] == MarkB ? id : -1;
    }
}
