using IscsiCluster.Config;
using IscsiCluster.Iscsi.Targets;

namespace IscsiCluster.Node.Configuration;

/// <summary>One entry of <c>iscsi-cluster.targets</c>.</summary>
public sealed record TargetSettings(
    string Name,
    string? Alias,
    IReadOnlyList<LunSettings> Luns,
    InitiatorAcl Acl,
    IReadOnlyList<ChapAccount> IncomingAccounts,
    ChapAccount? OutgoingAccount)
{
    // RFC 7143 4.2.7.1: iSCSI names are at most 223 bytes.
    private const int MaxNameLength = 223;

    public static TargetSettings Create(Config.Config target, string path)
    {
        var name = target.GetString("name");
        if (!IsIscsiName(name))
        {
            throw new NodeConfigurationException($"{path}.name: '{name}' is not an iSCSI name (iqn.yyyy-mm.reversed.domain[:id], eui.<16 hex> or naa.<hex>)");
        }

        var luns = target.HasPath("luns")
            ? target.GetConfigList("luns").Select((lun, i) => LunSettings.Create(lun, $"{path}.luns[{i}]")).ToList()
            : [];
        var duplicateLun = luns.GroupBy(l => l.Lun).FirstOrDefault(g => g.Count() > 1);
        if (duplicateLun is not null)
        {
            throw new NodeConfigurationException($"{path}.luns: LUN {duplicateLun.Key} is defined twice");
        }

        var addresses = target.HasPath("initiator-addresses") ? target.GetStringList("initiator-addresses") : [];
        var names = target.HasPath("initiator-names") ? target.GetStringList("initiator-names") : [];
        InitiatorAcl acl;
        try
        {
            acl = InitiatorAcl.Create(addresses, names);
        }
        catch (FormatException e)
        {
            throw new NodeConfigurationException($"{path}.initiator-addresses: {e.Message}");
        }

        var incoming = target.HasPath("incoming-accounts")
            ? target.GetConfigList("incoming-accounts").Select((a, i) => ReadAccount(a, $"{path}.incoming-accounts[{i}]")).ToList()
            : [];
        var outgoing = target.HasPath("outgoing-account") ? ReadAccount(target.GetConfig("outgoing-account"), $"{path}.outgoing-account") : null;
        if (outgoing is not null && incoming.FirstOrDefault(account => account.Secret == outgoing.Secret) is { } twin)
        {
            // RFC 7143 12.1.3: one secret must not serve both directions.
            throw new NodeConfigurationException($"{path}.outgoing-account: its password is also the password of incoming account '{twin.User}'; RFC 7143 forbids one CHAP secret for both directions, give the outgoing account its own");
        }

        return new TargetSettings(
            name,
            target.HasPath("alias") ? target.GetString("alias") : null,
            luns,
            acl,
            incoming,
            outgoing);
    }

    /// <summary>RFC 7143 4.2.7: the iqn., eui. and naa. name formats (checked loosely, case-insensitively).</summary>
    public static bool IsIscsiName(string name)
    {
        if (name.Length is 0 or > MaxNameLength || name.Any(char.IsWhiteSpace))
        {
            return false;
        }

        if (name.StartsWith("iqn.", StringComparison.OrdinalIgnoreCase))
        {
            // iqn.yyyy-mm.<reversed domain>[:<anything>]
            return name.Length > 12 && char.IsAsciiDigit(name[4]) && name[8] == '-' && name[11] == '.';
        }

        if (name.StartsWith("eui.", StringComparison.OrdinalIgnoreCase))
        {
            return name.Length == 20 && name.AsSpan(4).ContainsAnyExcept("0123456789abcdefABCDEF") is false;
        }

        return name.StartsWith("naa.", StringComparison.OrdinalIgnoreCase)
            && name.Length is 20 or 36
            && !name.AsSpan(4).ContainsAnyExcept("0123456789abcdefABCDEF");
    }

    private static ChapAccount ReadAccount(Config.Config account, string path)
    {
        var user = account.GetString("user");
        var password = account.GetString("password");
        if (user.Length == 0)
        {
            throw new NodeConfigurationException($"{path}.user: a CHAP user name cannot be empty");
        }

        // RFC 7143 12.1.3: CHAP secrets of at least 12 bytes are recommended (96 bits); we accept shorter
        // ones like tgt does, but an empty secret would authenticate anyone who knows the user name.
        if (password.Length == 0)
        {
            throw new NodeConfigurationException($"{path}.password: a CHAP secret cannot be empty");
        }

        // What `adm --dump` writes must read back: the same characters as `adm` accepts.
        if (Admin.Contracts.Editing.ConfigurationEditor.AccountFieldProblem(user, "a user name") is { } userProblem)
        {
            throw new NodeConfigurationException($"{path}.user: {userProblem}");
        }

        if (Admin.Contracts.Editing.ConfigurationEditor.AccountFieldProblem(password, "a password") is { } passwordProblem)
        {
            throw new NodeConfigurationException($"{path}.password: {passwordProblem}");
        }

        return new ChapAccount(user, password);
    }
}

/// <summary>One disk LUN of a target (1 or more): a thin disk of the given size in the node's store.</summary>
public sealed record LunSettings(ulong Lun, long SizeBytes, int BlockSize)
{
    // SAM-5 4.6.6: single-level flat addressing reaches LUNs 0..16383.
    public const ulong MaxLun = 16383;

    public static LunSettings Create(Config.Config lun, string path)
    {
        var number = lun.GetLong("lun");
        if (number is < 1 or > (long)MaxLun)
        {
            throw new NodeConfigurationException($"{path}.lun: {number} is outside 1..{MaxLun} (LUN 0 is the target's controller)");
        }

        var blockSize = lun.HasPath("block-size") ? lun.GetInt("block-size") : 512;
        if (blockSize is not (512 or 4096))
        {
            throw new NodeConfigurationException($"{path}.block-size: {blockSize} is not 512 or 4096");
        }

        var size = lun.GetByteSize("size");
        if (size < blockSize || size % blockSize != 0)
        {
            throw new NodeConfigurationException($"{path}.size: {size} bytes is not a positive multiple of the {blockSize}-byte block");
        }

        return new LunSettings((ulong)number, size, blockSize);
    }
}
