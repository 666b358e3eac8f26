namespace IscsiCluster.Benchmarks;

/// <summary>Deterministic test data, so that every run measures the same bytes.</summary>
internal static class Payload
{
    private const int Seed = 20261121;

    public static byte[] Random(int length)
    {
        var bytes = new byte[length];
        new Random(Seed).NextBytes(bytes);
        return bytes;
    }
}
