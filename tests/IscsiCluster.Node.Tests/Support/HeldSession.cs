using System.Diagnostics;
using System.Text;

namespace IscsiCluster.Node.Tests.Support;

/// <summary>
/// A session that stays logged in while a test changes the configuration: qemu-io in interactive mode,
/// fed commands on its standard input, logged in to one LUN until disposed.
/// </summary>
public sealed class HeldSession : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HeldSession(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Everything qemu-io printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Logs in to <paramref name="url"/> and returns once a first read went through (the session is in full feature phase).</summary>
    public static async Task<HeldSession> OpenAsync(string url)
    {
        var start = new ProcessStartInfo(ExternalTool.Find("qemu-io"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-f", "raw", url])
        {
            start.ArgumentList.Add(argument);
        }

        var session = new HeldSession(Process.Start(start) ?? throw new InvalidOperationException("could not start qemu-io"));
        if (!await session.ReadSucceedsAsync())
        {
            await session.DisposeAsync();
            throw new InvalidOperationException($"qemu-io did not log in; it printed:\n{session.Output}");
        }

        return session;
    }

    /// <summary>Reads the first block through the held session; false when the read fails, is not answered in <paramref name="patience"/> (a minute by default), or qemu-io has exited.</summary>
    public async Task<bool> ReadSucceedsAsync(TimeSpan? patience = null)
    {
        if (_process.HasExited)
        {
            return false;
        }

        var before = Output.Length;
        await _process.StandardInput.WriteLineAsync("read 0 512");
        await _process.StandardInput.FlushAsync();
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            var answer = Output[before..];
            if (answer.Contains("read 512/512", StringComparison.Ordinal))
            {
                return true;
            }

            if (answer.Contains("failed", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            await Task.Delay(50);
        }

        return false;
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
