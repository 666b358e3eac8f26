using IscsiCluster.Admin.Transport;

namespace IscsiCluster.Node.Tests.Support;

/// <summary>
/// Runs the real <c>iscsi-cluster-adm</c> (its entry point, in this process) against a node's socket, the
/// way <c>./iscsi-cluster adm</c> does: the socket comes from ISCSI_CLUSTER_ADMIN_SOCKET. The console and
/// that variable belong to the process, so runs are serialized.
/// </summary>
public static class AdminCli
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    public static async Task<Result> RunAsync(string socket, params string[] args)
    {
        var entryPoint = typeof(SocketAdminTransport).Assembly.EntryPoint
            ?? throw new InvalidOperationException("iscsi-cluster-adm has no entry point");
        await OneAtATime.WaitAsync();
        var (stdout, stderr) = (Console.Out, Console.Error);
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            Console.SetOut(output);
            Console.SetError(error);
            Environment.SetEnvironmentVariable(AdminEndpoint.SocketVariable, socket);
            var exitCode = await Task.Run(() => entryPoint.Invoke(null, [args]) switch
            {
                int code => code,
                Task<int> task => task.GetAwaiter().GetResult(),
                var other => throw new InvalidOperationException($"the entry point returned {other}"),
            });
            return new Result(exitCode, output.ToString(), error.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(AdminEndpoint.SocketVariable, null);
            Console.SetOut(stdout);
            Console.SetError(stderr);
            OneAtATime.Release();
        }
    }

    /// <summary>Runs a command written as one line (split on spaces) and fails the test when it fails.</summary>
    public static async Task<string> MustRunAsync(string socket, string line)
    {
        var result = await RunAsync(socket, line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(result.ExitCode == 0, $"iscsi-cluster-adm {line} exited with {result.ExitCode}: {result.All}");
        return result.Output;
    }
}
