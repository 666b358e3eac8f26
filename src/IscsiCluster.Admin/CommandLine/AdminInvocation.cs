using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.CommandLine;

/// <summary>What the command line asks for.</summary>
internal enum InvocationKind
{
    Request,
    Dump,
    Execute,
    Help,
    Version,
}

/// <summary>How results are printed.</summary>
internal enum OutputFormat
{
    Text,
    Json,
}

/// <summary>A parsed and validated command line.</summary>
/// <param name="Kind">A request, a dump, an execute, help or version.</param>
/// <param name="Request">The request to send (Kind is Request).</param>
/// <param name="ExecuteFile">The targets.conf to apply (Kind is Execute).</param>
/// <param name="Output">Text (tgtadm's layout) or JSON.</param>
/// <param name="ControlPort">--control-port as given, or null.</param>
internal sealed record AdminInvocation(
    InvocationKind Kind,
    AdmRequest? Request,
    string? ExecuteFile,
    OutputFormat Output,
    string? ControlPort);
