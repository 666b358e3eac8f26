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
        target.InitiatorAddresses.Any(entry => InitiatorAddress.Matches(entry, initiatorAddress))
        || target.InitiatorNames.Any(name => string.Equals(name, initiatorName, StringComparison.Ordinal));
}
