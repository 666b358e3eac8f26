namespace IscsiCluster.Node.Tests.Support;

/// <summary>A temporary directory of test files, deleted with everything in it.</summary>
public sealed class TemporaryFiles : IDisposable
{
    private readonly string _root = System.IO.Directory.CreateTempSubdirectory("iscsi-cluster-files-").FullName;

    public string Path(string name) => System.IO.Path.Combine(_root, name);

    public string Directory(string name) => System.IO.Directory.CreateDirectory(Path(name)).FullName;

    /// <summary>A file of random bytes (seeded, so a failure can be reproduced).</summary>
    public string Random(string name, int length, int seed = 7)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        var path = Path(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(_root, recursive: true);
}
