using System.Diagnostics;

namespace IscsiCluster.Storage.Tests;

/// <summary>
/// Every write reaches the WAL and the OS before it returns, so a store whose process is killed
/// (SIGKILL: no Dispose, no Flush, no finalizers) loses nothing it acknowledged.
/// </summary>
public sealed class BlockStoreCrashTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task WritesThatReturnedSurviveTheProcessBeingKilled()
    {
        var directory = _dir.Sub("store");
        var errors = new System.Text.StringBuilder();
        using (var writer = StartWriter(directory))
        {
            // Collected as it comes, so that a writer that failed is reported without waiting.
            writer.ErrorDataReceived += (_, e) =>
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            };
            writer.BeginErrorReadLine();
            using var timeout = new CancellationTokenSource(Patience);
            string? line;
            try
            {
                line = await writer.StandardOutput.ReadLineAsync(timeout.Token);
            }
            finally
            {
                writer.Kill(); // SIGKILL on Linux; also when the writer never answered
            }

            await writer.WaitForExitAsync(timeout.Token);
            lock (errors)
            {
                Assert.True(line == CrashWriter.WrittenLine, $"the writer said '{line}', exit code {writer.ExitCode}: {errors}");
            }
        }

        using var store = BlockStore.Open(directory, StoreTestOptions.Small);
        var read = new byte[CrashWriter.VolumeSize];
        store.Read(CrashWriter.VolumeId, 0, read);
        Assert.Equal(CrashWriter.Expected(), read);
        Assert.True(store.TryGetMetadata("crash/unsynced", out var value));
        Assert.Equal("still here"u8.ToArray(), value);
    }

    private static Process StartWriter(string directory)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "exec", typeof(CrashWriter).Assembly.Location, CrashWriter.Command, directory })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    /// <summary>The dotnet host running the tests (the SDK exports it to child processes), else dotnet on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
}
