using System.Net;
using IscsiCluster.Admin.Contracts.Editing;

namespace IscsiCluster.Node.Configuration;

/// <summary>
/// The ACL of a target as written in the HOCON seed: address entries ("ALL", an address or a
/// CIDR network, checked by the same rules as tgtadm's -I) and initiator names. The decision
/// itself is <see cref="InitiatorAddress"/>'s, the one logins use.
/// </summary>
public sealed class InitiatorAcl
{
    private InitiatorAcl(IReadOnlyList<string> addressEntries, IReadOnlyList<string> nameEntries)
    {
        AddressEntries = addressEntries;
        NameEntries = nameEntries;
    }

    /// <summary>The address entries, "ALL" in its canonical spelling.</summary>
    public IReadOnlyList<string> AddressEntries { get; }

    /// <summary>The initiator names admitted.</summary>
    public IReadOnlyList<string> NameEntries { get; }

    public static InitiatorAcl Create(IEnumerable<string> addresses, IEnumerable<string> names)
    {
        var entries = new List<string>();
        foreach (var entry in addresses)
        {
            var canonical = entry.Equals(InitiatorAddress.All, StringComparison.OrdinalIgnoreCase) ? InitiatorAddress.All : entry;
            if (!InitiatorAddress.IsValid(canonical))
            {
                throw new FormatException($"'{entry}' is not ALL, an IP address or a CIDR network");
            }

            entries.Add(canonical);
        }

        return new InitiatorAcl(entries, [.. names]);
    }

    /// <summary>Whether an initiator with this name, connecting from this address, may log in.</summary>
    public bool Admits(string initiatorName, IPAddress address) => TargetAccess.Admits(AddressEntries, NameEntries, initiatorName, address);
}
