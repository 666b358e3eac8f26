using IscsiCluster.Admin.CommandLine;
using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.Tests.CommandLine;

public class CommandLineParserTests
{
    private static AdmRequest Parse(params string[] args)
    {
        Assert.True(CommandLineParser.TryParse(args, out var invocation, out var error), error);
        Assert.Equal(InvocationKind.Request, invocation.Kind);
        return invocation.Request!;
    }

    private static string Error(params string[] args)
    {
        Assert.False(CommandLineParser.TryParse(args, out _, out var error));
        return error;
    }

    /// <summary>Each option of a request in the four spellings getopt_long accepts.</summary>
    public static TheoryData<string, string, string[], Func<AdmRequest, object?>, object?> EveryOption()
    {
        var data = new TheoryData<string, string, string[], Func<AdmRequest, object?>, object?>();
        void Add(char letter, string name, string value, string[] context, Func<AdmRequest, object?> read, object? expected)
        {
            data.Add($"--{name} {value}", "long", [.. context, $"--{name}", value], read, expected);
            data.Add($"--{name}={value}", "equals", [.. context, $"--{name}={value}"], read, expected);
            data.Add($"-{letter} {value}", "short", [.. context, $"-{letter}", value], read, expected);
            data.Add($"-{letter}{value}", "attached", [.. context, $"-{letter}{value}"], read, expected);
        }

        string[] luNew = ["-m", "logicalunit", "-o", "new", "-t", "1", "-l", "1"];
        Add('L', "lld", "iscsi", ["-m", "target", "-o", "show"], r => r.Lld, "iscsi");
        Add('t', "tid", "7", ["-m", "target", "-o", "show"], r => r.Tid, 7);
        Add('T', "targetname", "iqn.2024-01.x:y", ["-m", "target", "-o", "new", "-t", "1"], r => r.TargetName, "iqn.2024-01.x:y");
        Add('l', "lun", "3", ["-m", "logicalunit", "-o", "delete", "-t", "1"], r => r.Lun, 3UL);
        Add('b', "backing-store", "/dev/sda5", luNew, r => r.BackingStore, "/dev/sda5");
        Add('E', "bstype", "rocksdb", luNew, r => r.BsType, "rocksdb");
        Add('S', "bsopts", "size=10G", luNew, r => r.BsOpts, "size=10G");
        Add('f', "bsoflags", "sync", luNew, r => r.BsOFlags, "sync");
        Add('y', "blocksize", "4096", luNew, r => r.BlockSize, 4096);
        Add('Y', "device-type", "disk", luNew, r => r.DeviceType, "disk");
        Add('I', "initiator-address", "172.16.0.0/16", ["-m", "target", "-o", "bind", "-t", "1"], r => r.InitiatorAddress, "172.16.0.0/16");
        Add('Q', "initiator-name", "iqn.x:a", ["-m", "target", "-o", "bind", "-t", "1"], r => r.InitiatorName, "iqn.x:a");
        Add('u', "user", "christina", ["-m", "account", "-o", "delete"], r => r.User, "christina");
        Add('p', "password", "123456", ["-m", "account", "-o", "new", "-u", "c"], r => r.Password, "123456");
        Add('n', "name", "state", ["-m", "target", "-o", "update", "-t", "1", "-v", "offline"], r => r.Name, "state");
        Add('v', "value", "offline", ["-m", "target", "-o", "update", "-t", "1", "-n", "state"], r => r.Value, "offline");
        Add('P', "params", "vendor_id=ACME", ["-m", "logicalunit", "-o", "update", "-t", "1", "-l", "1"], r => r.Params, "vendor_id=ACME");
        Add('s', "sid", "5", ["-m", "session", "-o", "show"], r => r.Sid, 5UL);
        Add('c', "cid", "2", ["-m", "conn", "-o", "show"], r => r.Cid, 2U);
        Add('o', "op", "show", ["-m", "target"], r => r.Op, AdmOp.Show);
        Add('m', "mode", "account", ["-o", "show"], r => r.Mode, AdmMode.Account);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryOption))]
    public void EveryValueOptionIsReadInEverySpelling(string spelling, string form, string[] args, Func<AdmRequest, object?> read, object? expected)
    {
        Assert.NotEmpty(spelling + form);
        Assert.Equal(expected, read(Parse(args)));
    }

    [Theory]
    [InlineData("--force")]
    [InlineData("-F")]
    public void ForceIsAFlag(string flag) => Assert.True(Parse("-m", "target", "-o", "delete", "-t", "1", flag).Force);

    [Fact]
    public void ALunResizeTakesSizeParamsAndForce()
    {
        var request = Parse("--mode", "logicalunit", "--op", "update", "--tid", "1", "--lun", "1", "--params", "size=2G", "--force");

        Assert.Equal(("size=2G", true), (request.Params, request.Force));
    }

    [Theory]
    [InlineData("--outgoing")]
    [InlineData("-O")]
    public void OutgoingIsAFlag(string flag) => Assert.True(Parse("-m", "account", "-o", "bind", "-t", "1", "-u", "clyde", flag).Outgoing);

    [Fact]
    public void ClusteredShortFlagsAndAnAttachedValueParse()
    {
        var request = Parse("-m", "account", "-o", "bind", "-dOt1", "-u", "clyde");
        Assert.True(request.Outgoing);
        Assert.Equal(1, request.Tid);
    }

    [Fact]
    public void UnambiguousLongPrefixesAreAccepted() =>
        Assert.Equal("iqn.2024-01.x:y", Parse("--mode", "target", "--op", "new", "--tid", "1", "--targ", "iqn.2024-01.x:y").TargetName);

    [Fact]
    public void ModeAndOpAbbreviationsOfTgtadmAreAccepted()
    {
        Assert.Equal(AdmMode.LogicalUnit, Parse("-m", "lu", "-o", "delete", "-t", "1", "-l", "1").Mode);
        Assert.Equal(AdmMode.Connection, Parse("-m", "conn", "-o", "show").Mode);
        Assert.Equal(AdmMode.Session, Parse("-m", "sess", "-o", "show").Mode);
        Assert.Equal(AdmMode.Target, Parse("-m", "tgt", "-o", "show").Mode);
        Assert.Equal(AdmMode.System, Parse("-m", "sys", "-o", "show").Mode);
    }

    [Fact]
    public void TheLastOfARepeatedOptionWins() => Assert.Equal(2, Parse("-m", "target", "-o", "show", "-t", "1", "--tid=2").Tid);

    [Fact]
    public void ShowSecretsParamsSetsIncludeSecrets()
    {
        var request = Parse("-m", "target", "-o", "show", "--params", "show-secrets=1");
        Assert.True(request.IncludeSecrets);
        Assert.Null(request.Params);
        Assert.False(Parse("-m", "target", "-o", "show").IncludeSecrets);
    }

    [Fact]
    public void TheIssuesSevenCommandsParse()
    {
        string[] lines =
        [
            "--lld iscsi --op new --mode target --tid 1 -T iqn.2013-05.com.magedu:tsan.disk1",
            "--lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b /dev/sda5",
            "--lld iscsi --op bind --mode target --tid 1 -I 172.16.0.0/16",
            "--lld iscsi --op new --mode account --user christina --password 123456",
            "--lld iscsi --op bind --mode account --tid 1 --user christina",
            "--lld iscsi --op bind --mode account --tid 1 --user clyde --outgoing",
            "--lld iscsi --op show --mode target",
        ];
        foreach (var line in lines)
        {
            Parse(line.Split(' '));
        }
    }

    [Theory]
    [InlineData("--help", nameof(InvocationKind.Help))]
    [InlineData("-h", nameof(InvocationKind.Help))]
    [InlineData("--version", nameof(InvocationKind.Version))]
    [InlineData("-V", nameof(InvocationKind.Version))]
    [InlineData("--dump", nameof(InvocationKind.Dump))]
    public void StandaloneOptionsNeedNoOpOrMode(string option, string kind)
    {
        Assert.True(CommandLineParser.TryParse([option], out var invocation, out _));
        Assert.Equal(kind, invocation.Kind.ToString());
    }

    [Fact]
    public void ExecuteTakesAFileAndOutputAndControlPortAreRead()
    {
        Assert.True(CommandLineParser.TryParse(["--execute=/etc/tgt/targets.conf", "-C", "2"], out var execute, out _));
        Assert.Equal(("/etc/tgt/targets.conf", "2"), (execute.ExecuteFile, execute.ControlPort));

        Assert.True(CommandLineParser.TryParse(["-m", "target", "-o", "show", "--output", "json", "--control-port=/tmp/a.sock"], out var show, out _));
        Assert.Equal((OutputFormat.Json, "/tmp/a.sock"), (show.Output, show.ControlPort));
    }

    [Theory]
    [InlineData("unrecognized option '--frobnicate'", "--frobnicate")]
    [InlineData("invalid option -- 'z'", "-z")]
    [InlineData("option '--tid' requires an argument", "-m", "target", "-o", "show", "--tid")]
    [InlineData("option requires an argument -- 't'", "-m", "target", "-o", "show", "-t")]
    [InlineData("option '--force' doesn't allow an argument", "--force=yes")]
    [InlineData("option '--in' is ambiguous; possibilities: '--initiator-address' '--initiator-name'", "--in", "x")]
    [InlineData("unrecognized option 'stray'", "-m", "target", "-o", "show", "stray")]
    [InlineData("unrecognized option 'x'", "--", "x")]
    [InlineData("specify the operation type with --op", "-m", "target")]
    [InlineData("specify the mode with --mode", "-o", "show")]
    [InlineData("unknown operation: explode", "-m", "target", "-o", "explode")]
    [InlineData("unknown mode: galaxy", "-m", "galaxy", "-o", "show")]
    [InlineData("--tid: 'one' is not a number", "-m", "target", "-o", "show", "-t", "one")]
    [InlineData("--tid: 3000000000 is out of range (0 to 2147483647)", "-m", "target", "-o", "show", "-t", "3000000000")]
    [InlineData("--lun: '-1' is not a number", "-m", "lu", "-o", "delete", "-t", "1", "-l", "-1")]
    [InlineData("--blocksize: 'big' is not a number", "-m", "lu", "-o", "new", "-t", "1", "-l", "1", "-y", "big")]
    [InlineData("--tid is required for --mode target --op new", "-m", "target", "-o", "new", "-T", "iqn.x:y")]
    [InlineData("--targetname is required for --mode target --op new", "-m", "target", "-o", "new", "-t", "1")]
    [InlineData("--tid cannot be 0 (it is reserved)", "-m", "target", "-o", "new", "-t", "0", "-T", "iqn.x:y")]
    [InlineData("--lun is required for --mode logicalunit --op new", "-m", "lu", "-o", "new", "-t", "1", "-b", "/x")]
    [InlineData("--user is required for --mode account --op bind", "-m", "account", "-o", "bind", "-t", "1")]
    [InlineData("--password is required for --mode account --op new", "-m", "account", "-o", "new", "-u", "a")]
    [InlineData("--name is required for --mode target --op update", "-m", "target", "-o", "update", "-t", "1", "-v", "x")]
    [InlineData("--params is required for --mode logicalunit --op update", "-m", "lu", "-o", "update", "-t", "1", "-l", "1")]
    [InlineData("--cid is required for --mode connection --op delete", "-m", "conn", "-o", "delete", "-t", "1", "-s", "1")]
    [InlineData("bind requires --initiator-address or --initiator-name", "-m", "target", "-o", "bind", "-t", "1")]
    [InlineData("target mode: option '--lun' is not allowed with --op new", "-m", "target", "-o", "new", "-t", "1", "-T", "iqn.x:y", "-l", "1")]
    [InlineData("account mode: option '--outgoing' is not allowed with --op new", "-m", "account", "-o", "new", "-u", "a", "-p", "b", "-O")]
    [InlineData("target mode: option '--bus' is not allowed with --op bind", "-m", "target", "-o", "bind", "-t", "1", "-B", "pci,0")]
    [InlineData("target mode: option '--host' is not allowed with --op bind", "-m", "target", "-o", "bind", "-t", "1", "-H", "1")]
    [InlineData("logicalunit mode: option '--force' is not allowed with --op delete", "-m", "lu", "-o", "delete", "-t", "1", "-l", "1", "-F")]
    [InlineData("operation new not supported in system mode", "-m", "system", "-o", "new")]
    [InlineData("--output xml: use text or json", "--output", "xml")]
    [InlineData("option '--tid' is not allowed with --dump or --execute", "--dump", "-t", "1")]
    [InlineData("--dump and --execute can't be combined", "--dump", "--execute", "f")]
    public void EveryMistakeIsNamed(string expected, params string[] args) => Assert.Equal(expected, Error(args));
}
