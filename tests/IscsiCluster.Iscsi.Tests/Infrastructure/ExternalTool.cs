using System.Diagnostics;

namespace IscsiCluster.Iscsi.Tests.Infrastructure;

/// <summary>Runs an installed command-line tool (libiscsi's iscsi-*, qemu-img) with a time limit.</summary>
internal static class ExternalTool
{
    private static readonly string[] SearchPath = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(Path.PathSeparator);

    /// <summary>The tool's full path, or null when it is not installed.</summary>
    public static string? Find(string tool) =>
        SearchPath.Select(directory => Path.Combine(directory, tool)).FirstOrDefault(File.Exists);

    public static async Task<ToolResult> RunAsync(string path, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(path)} did not finish within {timeout}: {await output} {await error}");
        }

        return new ToolResult(process.ExitCode, await output, await error);
    }
}

internal sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
