using System.Net;

namespace IscsiCluster.Node.Configuration;

/// <summary>
/// Which initiators may log in to a target, the way tgt binds them: by address ("ALL",
/// a single address, or a CIDR network) or by initiator name. An empty ACL admits nobody.
/// </summary>
public sealed class InitiatorAcl
{
    private readonly bool _all;
    private readonly IReadOnlyList<IPNetwork> _networks;
    private readonly IReadOnlySet<string> _names;

    private InitiatorAcl(bool all, IReadOnlyList<IPNetwork> networks, IReadOnlySet<string> names, IReadOnlyList<string> addressEntries)
    {
        _all = all;
        _networks = networks;
        _names = names;
        AddressEntries = addressEntries;
    }

    /// <summary>The address entries as written (for show and dump).</summary>
    public IReadOnlyList<string> AddressEntries { get; }

    /// <summary>The initiator names admitted.</summary>
    public IReadOnlyCollection<string> NameEntries => (IReadOnlyCollection<string>)_names;

    public static InitiatorAcl Create(IEnumerable<string> addresses, IEnumerable<string> names)
    {
        var all = false;
        var networks = new List<IPNetwork>();
        var entries = new List<string>();
        foreach (var entry in addresses)
        {
            entries.Add(entry);
            if (entry.Equals("ALL", StringComparison.OrdinalIgnoreCase))
            {
                all = true;
            }
            else if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new FormatException($"'{entry}' is not ALL, an IP address or a CIDR network");
            }
        }

        return new InitiatorAcl(all, networks, new HashSet<string>(names, StringComparer.OrdinalIgnoreCase), entries);
    }

    /// <summary>Whether an initiator with this name, connecting from this address, may log in.</summary>
    public bool Admits(string initiatorName, IPAddress address)
    {
        if (_all || _names.Contains(initiatorName))
        {
            return true;
        }

        var candidate = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in _networks)
        {
            if (network.Contains(candidate))
            {
                return true;
            }
        }

        return false;
    }
}
