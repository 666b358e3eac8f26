using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace IscsiCluster.Drill;

/// <summary>
/// The cluster the launcher runs on this machine (<c>.run/node-N/</c>): its nodes' processes, signals to them, its
/// status through the admin command, and <c>./iscsi-cluster up</c> to start the nodes that are not running.
/// </summary>
internal sealed partial class ClusterControl(string runDirectory, string launcher, string adminDll, int nodes)
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    public int Nodes => nodes;

    /// <summary>Set for every launcher command (the partition drill's run and configuration directories, its namespaces).</summary>
    public IReadOnlyDictionary<string, string> LauncherEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>How <see cref="Up"/> starts the nodes that are not running (<c>up</c>, or <c>up --config FILE</c> for one node).</summary>
    public IReadOnlyList<string> UpArguments { get; init; } = ["up"];

    /// <summary>The node's process, when it runs (a zombie does not).</summary>
    public int? Pid(int node)
    {
        var file = Path.Combine(runDirectory, $"node-{node}", "node.pid");
        if (!File.Exists(file) || !int.TryParse(File.ReadAllText(file).Trim(), out var pid))
        {
            return null;
        }

        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state == "Z" ? null : pid;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Signal(int node, int signal)
    {
        var pid = Pid(node) ?? throw new InvalidOperationException($"node-{node} is not running");
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>The cluster as node <paramref name="node"/> sees it (the <c>cluster</c> object of <c>show --mode cluster</c>), or null when it does not answer.</summary>
    public JsonElement? Status(int node)
    {
        var result = Run("dotnet", [adminDll, "--op", "show", "--mode", "cluster", "--output", "json"], TimeSpan.FromSeconds(15),
            ("ISCSI_CLUSTER_ADMIN_SOCKET", Path.Combine(runDirectory, $"node-{node}", "admin.sock")));
        if (result.ExitCode != 0)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(result.Output).RootElement.GetProperty("payload").GetProperty("cluster").Clone();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException)
        {
            return null;
        }
    }

    /// <summary>When the first line of node <paramref name="node"/>'s log after <paramref name="after"/> that contains <paramref name="text"/> was written.</summary>
    public DateTime? FirstLogLine(int node, DateTime after, string text)
    {
        var file = Path.Combine(runDirectory, $"node-{node}", "node.log");
        if (!File.Exists(file))
        {
            return null;
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            // "2026-12-03 09:02:58.539 info: ...", in local time.
            if (line.Length > 23 && line.Contains(text, StringComparison.Ordinal)
                && DateTime.TryParseExact(line[..23], "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var at)
                && at >= after)
            {
                return at;
            }
        }

        return null;
    }

    /// <summary><c>./iscsi-cluster up</c>: starts whichever nodes are not running and returns once they serve.</summary>
    public void Up()
    {
        var result = Run(launcher, UpArguments, TimeSpan.FromMinutes(5), Launcher());
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"./iscsi-cluster up failed: {result.Output}{result.Error}");
        }
    }

    /// <summary><c>./iscsi-cluster down</c>: stops every node cleanly.</summary>
    public void Down() => Run(launcher, ["down"], TimeSpan.FromMinutes(2), Launcher());

    private (string Name, string Value)[] Launcher() => [.. LauncherEnvironment.Select(e => (e.Key, e.Value))];

    /// <summary><c>./iscsi-cluster adm ...</c>; the exit code and what it printed.</summary>
    public (int ExitCode, string Output) Adm(params string[] arguments)
    {
        var result = Run(launcher, ["adm", .. arguments], TimeSpan.FromMinutes(2), Launcher());
        return (result.ExitCode, result.Output + result.Error);
    }

    private static (int ExitCode, string Output, string Error) Run(string file, IEnumerable<string> arguments, TimeSpan timeout, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "", $"{file} did not finish within {timeout.TotalSeconds:0} s");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
