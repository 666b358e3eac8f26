using System.Globalization;
using System.Text;
using IscsiCluster.Admin.Contracts.Model;

namespace IscsiCluster.Admin.TargetsConf;

/// <summary>
/// Writes a configuration as a targets.conf (tgt-admin --dump), complete enough that --execute on an empty node
/// rebuilds the same configuration: tids (controller_tid), LUN numbers and sizes, ACLs, accounts with their
/// secrets, discovery accounts. Extensions tgt-admin does not know: "account USER SECRET" for accounts,
/// "initiator-address-default none" for a target with no address ACL, "TargetAlias".
/// </summary>
internal static class TargetsConfWriter
{
    public const string AccountDirective = "account";
    public const string AddressDefaultDirective = "initiator-address-default";
    public const string NoDefaultAddress = "none";

    public static string Write(ClusterConfiguration configuration)
    {
        var text = new StringBuilder();
        text.Append("# Written by iscsi-cluster-adm --dump; apply with iscsi-cluster-adm --execute FILE.\n");
        text.Append("# It holds CHAP secrets: keep it private.\n");
        text.Append("default-driver iscsi\n");
        if (configuration.Accounts.Count > 0)
        {
            text.Append('\n');
        }

        foreach (var account in configuration.Accounts)
        {
            Directive(text, "", AccountDirective, $"{account.User} {account.Password}");
        }

        foreach (var user in configuration.DiscoveryIncomingUsers)
        {
            Directive(text, "", "incomingdiscoveryuser", UserAndSecret(configuration, user));
        }

        if (configuration.DiscoveryOutgoingUser is { } discoveryOutgoing)
        {
            Directive(text, "", "outgoingdiscoveryuser", UserAndSecret(configuration, discoveryOutgoing));
        }

        foreach (var target in configuration.Targets)
        {
            WriteTarget(text, configuration, target);
        }

        return text.ToString();
    }

    private static void WriteTarget(StringBuilder text, ClusterConfiguration configuration, TargetDefinition target)
    {
        const string Indent = "    ";
        text.Append('\n').Append("<target ").Append(Quote(target.Name)).Append(">\n");
        Directive(text, Indent, "controller_tid", target.Tid.ToString(CultureInfo.InvariantCulture));
        if (target.Alias is { } alias)
        {
            Directive(text, Indent, "TargetAlias", Quote(alias));
        }

        if (target.State == TargetState.Offline)
        {
            Directive(text, Indent, "state", "offline");
        }

        foreach (var lun in target.Luns)
        {
            WriteLun(text, lun);
        }

        foreach (var address in target.InitiatorAddresses)
        {
            Directive(text, Indent, "initiator-address", address);
        }

        if (target.InitiatorAddresses.Count == 0)
        {
            Directive(text, Indent, AddressDefaultDirective, NoDefaultAddress);
        }

        foreach (var name in target.InitiatorNames)
        {
            Directive(text, Indent, "initiator-name", name);
        }

        foreach (var user in target.IncomingUsers)
        {
            Directive(text, Indent, "incominguser", UserAndSecret(configuration, user));
        }

        if (target.OutgoingUser is { } outgoing)
        {
            Directive(text, Indent, "outgoinguser", UserAndSecret(configuration, outgoing));
        }

        text.Append("</target>\n");
    }

    private static void WriteLun(StringBuilder text, LunDefinition lun)
    {
        const string Indent = "        ";
        text.Append("    <backing-store ").Append(Quote(lun.BackingStoreDescription)).Append(">\n");
        Directive(text, Indent, "lun", lun.Lun.ToString(CultureInfo.InvariantCulture));
        if (lun.Source == LunSource.Thin)
        {
            Directive(text, Indent, "bs-type", LunDefinition.StoreBsType);
            Directive(text, Indent, "bsopts", $"size={lun.SizeBytes.ToString(CultureInfo.InvariantCulture)}");
        }

        Directive(text, Indent, "block-size", lun.BlockSize.ToString(CultureInfo.InvariantCulture));
        OptionalDirective(text, Indent, "vendor_id", lun.VendorId);
        OptionalDirective(text, Indent, "product_id", lun.ProductId);
        OptionalDirective(text, Indent, "product_rev", lun.ProductRevision);
        text.Append("    </backing-store>\n");
    }

    private static string UserAndSecret(ClusterConfiguration configuration, string user) =>
        $"{user} {configuration.FindAccount(user)?.Password}";

    private static void OptionalDirective(StringBuilder text, string indent, string key, string? value)
    {
        if (value is not null)
        {
            Directive(text, indent, key, Quote(value));
        }
    }

    private static void Directive(StringBuilder text, string indent, string key, string value) =>
        text.Append(indent).Append(key).Append(' ').Append(value).Append('\n');

    private static string Quote(string value) =>
        value.Any(c => char.IsWhiteSpace(c) || c is '#' or '<' or '>') ? $"\"{value}\"" : value;
}
