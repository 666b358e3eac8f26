using System.Diagnostics;
using System.Net;

namespace IscsiCluster.Node.Tests.Support;

/// <summary>
/// A node daemon in its own process (the same binary the launcher starts), for tests that
/// kill it with SIGKILL. It runs on a free port and the caller's temporary directory.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _log;

    private NodeProcess(Process process, IPEndPoint portal, System.Text.StringBuilder log)
    {
        _process = process;
        Portal = portal;
        _log = log;
    }

    /// <summary>Everything the node printed so far (its console log).</summary>
    public string Output
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public IPEndPoint Portal { get; }

    /// <summary>Whether the process has ended (crashed, killed or terminated).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The process's peak resident set size so far (VmHWM in /proc/PID/status), in bytes.</summary>
    public long PeakRssBytes => ReadStatusKibibytes("VmHWM:") * 1024;

    /// <summary>The process's resident set size now (VmRSS), in bytes.</summary>
    public long RssBytes => ReadStatusKibibytes("VmRSS:") * 1024;

    private long ReadStatusKibibytes(string field)
    {
        // A line such as "VmHWM:\t  123456 kB".
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    public string Url(int lun) => $"iscsi://{Portal.Address}:{Portal.Port}/{TestNode.TargetName}/{lun}";

    public static async Task<NodeProcess> StartAsync(string dataDirectory, string targetBody = TestNode.DefaultTarget)
    {
        var configPath = Path.Combine(dataDirectory, "node.conf");
        var readyFile = Path.Combine(dataDirectory, $"ready-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(configPath, TestNode.ConfigText(dataDirectory, targetBody));

        // The node's assembly sits beside the tests' with every dependency; run it with the tests' runtime config.
        var baseDirectory = AppContext.BaseDirectory;
        var testAssembly = typeof(NodeProcess).Assembly.GetName().Name;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[
            "exec",
            "--runtimeconfig", Path.Combine(baseDirectory, $"{testAssembly}.runtimeconfig.json"),
            "--depsfile", Path.Combine(baseDirectory, $"{testAssembly}.deps.json"),
            Path.Combine(baseDirectory, "iscsi-cluster-node.dll"),
            "--config", configPath,
            "--admin-socket", TestNode.SocketPath(dataDirectory),
            "--ready-file", readyFile])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the node");
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!File.Exists(readyFile))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }

                lock (log)
                {
                    throw new InvalidOperationException($"the node did not become ready; it printed:\n{log}");
                }
            }

            await Task.Delay(100);
        }

        var endPoint = IPEndPoint.Parse((await File.ReadAllLinesAsync(readyFile))[0].Split(' ')[0]);
        File.Delete(readyFile);
        return new NodeProcess(process, endPoint, log);
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing is flushed.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the node shuts down cleanly and exits with 0.</summary>
    public async Task<int> TerminateAsync()
    {
        const int SigTerm = 15;
        _ = Kill(_process.Id, SigTerm);
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }
}
