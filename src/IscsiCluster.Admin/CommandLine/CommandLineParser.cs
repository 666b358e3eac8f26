using System.Globalization;
using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.CommandLine;

/// <summary>
/// Turns arguments into an <see cref="AdminInvocation"/> with tgtadm 1.0.85's checks (usr/tgtadm.c main):
/// which options each mode and op allow, which they require, and numbers in range.
/// </summary>
internal static class CommandLineParser
{
    /// <summary>The --params key that lets show print CHAP secrets.</summary>
    public const string ShowSecretsParam = "show-secrets=1";

    public static bool TryParse(IReadOnlyList<string> args, out AdminInvocation invocation, out string error)
    {
        invocation = null!;
        if (!GetoptParser.TryParse(args, out var values, out error))
        {
            return false;
        }

        // getopt semantics: a repeated option keeps its last value.
        var given = new Dictionary<OptionSpec, string?>();
        foreach (var value in values)
        {
            given[value.Option] = value.Value;
        }

        if (!TryParseOutput(given, out var output, out error))
        {
            return false;
        }

        var controlPort = given.GetValueOrDefault(Options.ControlPort);
        if (given.ContainsKey(Options.Help))
        {
            invocation = new AdminInvocation(InvocationKind.Help, null, null, output, controlPort);
            return true;
        }

        if (given.ContainsKey(Options.Version))
        {
            invocation = new AdminInvocation(InvocationKind.Version, null, null, output, controlPort);
            return true;
        }

        if (given.ContainsKey(Options.Dump) || given.ContainsKey(Options.Execute))
        {
            return TryParseFileCommand(given, output, controlPort, out invocation, out error);
        }

        if (!TryBuildRequest(given, out var request, out error))
        {
            return false;
        }

        invocation = new AdminInvocation(InvocationKind.Request, request, null, output, controlPort);
        return true;
    }

    private static bool TryParseOutput(Dictionary<OptionSpec, string?> given, out OutputFormat output, out string error)
    {
        error = "";
        output = OutputFormat.Text;
        switch (given.GetValueOrDefault(Options.Output))
        {
            case null or "text":
                return true;
            case "json":
                output = OutputFormat.Json;
                return true;
            case var other:
                error = $"--output {other}: use text or json";
                return false;
        }
    }

    private static bool TryParseFileCommand(
        Dictionary<OptionSpec, string?> given, OutputFormat output, string? controlPort, out AdminInvocation invocation, out string error)
    {
        invocation = null!;
        error = "";
        var stray = given.Keys.FirstOrDefault(o => o != Options.Dump && o != Options.Execute && o != Options.ControlPort
            && o != Options.Output && o != Options.Lld && o != Options.Debug);
        if (stray is not null)
        {
            error = $"option '--{stray.Long}' is not allowed with --dump or --execute";
            return false;
        }

        if (given.ContainsKey(Options.Dump) && given.ContainsKey(Options.Execute))
        {
            error = "--dump and --execute can't be combined";
            return false;
        }

        invocation = given.TryGetValue(Options.Execute, out var file)
            ? new AdminInvocation(InvocationKind.Execute, null, file, output, controlPort)
            : new AdminInvocation(InvocationKind.Dump, null, null, output, controlPort);
        return true;
    }

    private static bool TryBuildRequest(Dictionary<OptionSpec, string?> given, out AdmRequest request, out string error)
    {
        request = null!;
        if (!given.TryGetValue(Options.Op, out var opText))
        {
            error = "specify the operation type with --op";
            return false;
        }

        if (!given.TryGetValue(Options.Mode, out var modeText))
        {
            error = "specify the mode with --mode";
            return false;
        }

        if (!AdmNames.TryParseOp(opText!, out var op))
        {
            error = $"unknown operation: {opText}";
            return false;
        }

        if (!AdmNames.TryParseMode(modeText!, out var mode))
        {
            error = $"unknown mode: {modeText}";
            return false;
        }

        if (!ModeRules.TryCheck(mode, op, given, out error)
            || !TryNumber(given, Options.Tid, 0, int.MaxValue, out var tid, out error)
            || !TryNumber(given, Options.Sid, 0, long.MaxValue, out var sid, out error)
            || !TryNumber(given, Options.Cid, 0, uint.MaxValue, out var cid, out error)
            || !TryUnsigned(given, Options.Lun, out var lun, out error)
            || !TryNumber(given, Options.BlockSize, 1, int.MaxValue, out var blockSize, out error))
        {
            return false;
        }

        var parameters = given.GetValueOrDefault(Options.Params);
        var showSecrets = op == AdmOp.Show && parameters == ShowSecretsParam;
        request = new AdmRequest(mode, op)
        {
            Lld = given.GetValueOrDefault(Options.Lld),
            Tid = (int?)tid,
            Sid = (ulong?)sid,
            Cid = (uint?)cid,
            Lun = lun,
            TargetName = given.GetValueOrDefault(Options.TargetName),
            BackingStore = given.GetValueOrDefault(Options.BackingStore),
            BsType = given.GetValueOrDefault(Options.BsType),
            BsOpts = given.GetValueOrDefault(Options.BsOpts),
            BsOFlags = given.GetValueOrDefault(Options.BsOFlags),
            BlockSize = (int?)blockSize,
            DeviceType = given.GetValueOrDefault(Options.DeviceType),
            InitiatorAddress = given.GetValueOrDefault(Options.InitiatorAddress),
            InitiatorName = given.GetValueOrDefault(Options.InitiatorName),
            User = given.GetValueOrDefault(Options.User),
            Password = given.GetValueOrDefault(Options.Password),
            Outgoing = given.ContainsKey(Options.Outgoing),
            Name = given.GetValueOrDefault(Options.Name),
            Value = given.GetValueOrDefault(Options.Value),
            Force = given.ContainsKey(Options.Force),
            Params = showSecrets ? null : parameters,
            IncludeSecrets = showSecrets,
        };
        return true;
    }

    private static bool TryNumber(Dictionary<OptionSpec, string?> given, OptionSpec option, long min, long max, out long? number, out string error)
    {
        number = null;
        error = "";
        if (!given.TryGetValue(option, out var text))
        {
            return true;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            error = $"--{option.Long}: '{text}' is not a number";
            return false;
        }

        if (value < min || value > max)
        {
            error = $"--{option.Long}: {value} is out of range ({min} to {max})";
            return false;
        }

        number = value;
        return true;
    }

    private static bool TryUnsigned(Dictionary<OptionSpec, string?> given, OptionSpec option, out ulong? number, out string error)
    {
        number = null;
        error = "";
        if (!given.TryGetValue(option, out var text))
        {
            return true;
        }

        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            error = $"--{option.Long}: '{text}' is not a number";
            return false;
        }

        number = value;
        return true;
    }
}
