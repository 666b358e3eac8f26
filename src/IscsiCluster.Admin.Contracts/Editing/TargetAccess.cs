using System.Net;
using IscsiCluster.Admin.Contracts.Model;

namespace IscsiCluster.Admin.Contracts.Editing;

/// <summary>
/// The ACL decision tgt makes at login: a target admits an initiator when one address entry matches its IP
/// address or one name entry equals its InitiatorName; with no entry at all it admits no one.
/// CHAP (the bound incoming accounts) is checked after this, by the login.
/// </summary>
public static class TargetAccess
{
    public static bool Admits(TargetDefinition target, string initiatorName, IPAddress initiatorAddress) =>
        Admits(target.InitiatorAddresses, target.InitiatorNames, initiatorName, initiatorAddress);

    /// <summary>The same decision over an ACL's address and name entries.</summary>
    public static bool Admits(IEnumerable<string> addressEntries, IEnumerable<string> nameEntries, string initiatorName, IPAddress initiatorAddress) =>
        addressEntries.Any(entry => InitiatorAddress.Matches(entry, initiatorAddress))
        || nameEntries.Any(name => SameInitiatorName(name, initiatorName));

    /// <summary>RFC 7143 4.2.7.1: iSCSI names are case-insensitive (initiators normalise them to lower case).</summary>
    public static bool SameInitiatorName(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
