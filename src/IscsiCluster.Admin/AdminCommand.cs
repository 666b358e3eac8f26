using System.Reflection;
using IscsiCluster.Admin.CommandLine;
using IscsiCluster.Admin.Contracts.Editing;
using IscsiCluster.Admin.Contracts.Json;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Admin.Output;
using IscsiCluster.Admin.TargetsConf;
using IscsiCluster.Admin.Transport;

namespace IscsiCluster.Admin;

/// <summary>
/// The command line's behaviour, apart from the process: parse, reach the node, print what tgtadm prints.
/// Errors go to stderr as "iscsi-cluster-adm: message" and the exit code comes from <see cref="AdmErrors"/>.
/// </summary>
/// <param name="stdout">Where results go.</param>
/// <param name="stderr">Where errors, warnings and the progress bar go.</param>
/// <param name="connect">Makes the transport for a resolved endpoint.</param>
/// <param name="environment">Reads an environment variable.</param>
/// <param name="defaultRunDirectory">Where admin.sock is when no variable names the endpoint.</param>
/// <param name="showProgress">Whether to draw import progress (stderr is a terminal).</param>
internal sealed class AdminCommand(
    TextWriter stdout,
    TextWriter stderr,
    Func<AdminEndpoint, IAdminTransport> connect,
    Func<string, string?> environment,
    string defaultRunDirectory,
    bool showProgress)
{
    public const string ProgramName = "iscsi-cluster-adm";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (!CommandLineParser.TryParse(args, out var invocation, out var error))
        {
            return UsageError(error);
        }

        switch (invocation.Kind)
        {
            case InvocationKind.Help:
                await stdout.WriteAsync(HelpText.Text());
                return 0;
            case InvocationKind.Version:
                await stdout.WriteLineAsync($"{ProgramName} {Version()} (tgtadm 1.0.85 syntax)");
                return 0;
        }

        if (!AdminEndpoint.TryResolve(invocation.ControlPort, environment, defaultRunDirectory, out var endpoint, out error))
        {
            return UsageError(error);
        }

        var transport = connect(endpoint);
        return invocation.Kind switch
        {
            InvocationKind.Dump => await DumpAsync(transport, cancellationToken),
            InvocationKind.Execute => await ExecuteAsync(transport, invocation.ExecuteFile!, cancellationToken),
            _ => await RequestAsync(transport, invocation.Request!, invocation.Output, cancellationToken),
        };
    }

    private async Task<int> RequestAsync(IAdminTransport transport, AdmRequest request, OutputFormat output, CancellationToken cancellationToken)
    {
        var response = await SendAsync(transport, request, cancellationToken);
        if (output == OutputFormat.Json)
        {
            await stdout.WriteLineAsync(AdminJson.SerializeIndented(ForJson(request, response)));
        }

        if (!response.Succeeded)
        {
            return await FailAsync(response.Error, response.Detail);
        }

        await WarnAboutShortSecretAsync(request, "");
        if (output == OutputFormat.Text && response.Payload is { } payload)
        {
            await stdout.WriteAsync(Render(request, payload));
        }

        return 0;
    }

    /// <summary>The text tgtadm prints for a show or stat.</summary>
    internal static string Render(AdmRequest request, AdmPayload payload) =>
        (request.Mode, request.Op) switch
        {
            (_, AdmOp.Stat) => ShowText.Statistics(payload),
            (AdmMode.Target, AdmOp.Show) => ShowText.Targets(payload, request.Tid, request.IncludeSecrets),
            (AdmMode.Account, AdmOp.Show) => ShowText.Accounts(payload, request.IncludeSecrets),
            (AdmMode.Session, AdmOp.Show) => ShowText.SessionList(payload, request),
            (AdmMode.Connection, AdmOp.Show) => ShowText.Connections(payload, request),
            (AdmMode.System, AdmOp.Show) => ShowText.SystemInfo(payload),
            (AdmMode.Cluster, AdmOp.Show) => ShowText.Cluster(payload),
            _ => "",
        };

    /// <summary>JSON output holds what the text would: one target's show holds only that target.</summary>
    private static AdmResponse ForJson(AdmRequest request, AdmResponse response)
    {
        if (request is { Mode: AdmMode.Target, Op: AdmOp.Show, Tid: { } tid } && response.Payload?.Configuration is { } configuration)
        {
            var filtered = configuration with { Targets = [.. configuration.Targets.Where(t => t.Tid == tid)] };
            return response with
            {
                Payload = response.Payload with
                {
                    Configuration = filtered,
                    Sessions = response.Payload.Sessions?.Where(s => s.Tid == tid).ToArray(),
                    Luns = response.Payload.Luns?.Where(l => l.Tid == tid).ToArray(),
                },
            };
        }

        return response;
    }

    private async Task<int> DumpAsync(IAdminTransport transport, CancellationToken cancellationToken)
    {
        var show = new AdmRequest(AdmMode.Target, AdmOp.Show) { IncludeSecrets = true };
        var response = await SendAsync(transport, show, cancellationToken);
        if (!response.Succeeded)
        {
            return await FailAsync(response.Error, response.Detail);
        }

        await stdout.WriteAsync(TargetsConfWriter.Write(response.Payload?.Configuration ?? ClusterConfiguration.Empty));
        return 0;
    }

    private async Task<int> ExecuteAsync(IAdminTransport transport, string file, CancellationToken cancellationToken)
    {
        if (!TargetsConfLoader.TryLoad(file, out var document, out var error))
        {
            return await FailAsync(AdmError.InvalidRequest, error);
        }

        var current = await SendAsync(transport, new AdmRequest(AdmMode.Target, AdmOp.Show), cancellationToken);
        if (!current.Succeeded)
        {
            return await FailAsync(current.Error, current.Detail);
        }

        if (!TargetsConfPlanner.TryPlan(document, current.Payload?.Configuration ?? ClusterConfiguration.Empty, out var plan, out error))
        {
            return await FailAsync(AdmError.InvalidRequest, $"{file}: {error}");
        }

        foreach (var warning in plan.Warnings)
        {
            await stderr.WriteLineAsync($"{ProgramName}: {file}: {warning}");
        }

        var exitCode = 0;
        foreach (var step in plan.Steps)
        {
            var response = await SendAsync(transport, step.Request, cancellationToken);
            if (response.Succeeded)
            {
                await WarnAboutShortSecretAsync(step.Request, $"{file}: line {step.Line}: ");
                continue;
            }

            exitCode = await FailAsync(response.Error, $"{file}: line {step.Line}: {AdmErrors.Describe(response.Error, response.Detail)}", describe: false);
            if (!plan.IgnoreErrors)
            {
                return exitCode;
            }
        }

        return exitCode;
    }

    private async Task<AdmResponse> SendAsync(IAdminTransport transport, AdmRequest request, CancellationToken cancellationToken)
    {
        var bar = showProgress ? new ProgressBar(stderr) : null;
        try
        {
            return await transport.SendAsync(request, bar, cancellationToken);
        }
        finally
        {
            bar?.Finish();
        }
    }

    /// <summary>
    /// A new account with a short secret is kept (administrators coming from tgt have them) but
    /// never silently: the warning goes to stderr and the command still succeeds.
    /// </summary>
    private async Task WarnAboutShortSecretAsync(AdmRequest request, string where)
    {
        if (request is { Mode: AdmMode.Account, Op: AdmOp.New, User: { } user, Password: { } password }
            && password.Length < ConfigurationEditor.RecommendedSecretLength)
        {
            await stderr.WriteLineAsync($"{ProgramName}: {where}warning: account {user}: {ConfigurationEditor.ShortSecretWarning}");
        }
    }

    private async Task<int> FailAsync(AdmError error, string? detail, bool describe = true)
    {
        await stderr.WriteLineAsync($"{ProgramName}: {(describe ? AdmErrors.Describe(error, detail) : detail)}");
        return AdmErrors.ExitCode(error);
    }

    private int UsageError(string error)
    {
        stderr.WriteLine($"{ProgramName}: {error}");
        stderr.WriteLine($"Try `{ProgramName} --help' for more information.");
        return AdmErrors.InvalidArgumentExitCode;
    }

    private static string Version() =>
        typeof(AdminCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
}
