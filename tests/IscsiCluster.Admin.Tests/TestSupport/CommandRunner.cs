using IscsiCluster.Admin.Transport;

namespace IscsiCluster.Admin.Tests.TestSupport;

/// <summary>Runs the command line against a transport and captures what it prints.</summary>
internal sealed class CommandRunner(IAdminTransport transport, Dictionary<string, string>? environment = null)
{
    public string Stdout { get; private set; } = "";

    public string Stderr { get; private set; } = "";

    public AdminEndpoint? LastEndpoint { get; private set; }

    public async Task<int> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var command = new AdminCommand(
            stdout,
            stderr,
            endpoint =>
            {
                LastEndpoint = endpoint;
                return transport;
            },
            name => environment?.GetValueOrDefault(name),
            "/run/dir",
            showProgress: false);
        var exitCode = await command.RunAsync(args, CancellationToken.None);
        Stdout = stdout.ToString();
        Stderr = stderr.ToString();
        return exitCode;
    }

    /// <summary>Runs a command line written as one string, split on spaces.</summary>
    public Task<int> RunLineAsync(string line) => RunAsync(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
