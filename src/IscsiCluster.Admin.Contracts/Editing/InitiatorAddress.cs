using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace IscsiCluster.Admin.Contracts.Editing;

/// <summary>An address ACL entry as tgt accepts it: "ALL", one IP address, or a CIDR network.</summary>
public static class InitiatorAddress
{
    /// <summary>The entry that admits every initiator address.</summary>
    public const string All = "ALL";

    /// <summary>Whether <paramref name="entry"/> is "ALL", an IPv4 dotted quad, an IPv6 address, or either with a /prefix.</summary>
    public static bool IsValid(string? entry) => entry == All || TryParseNetwork(entry, out _);

    /// <summary>Whether an initiator connecting from <paramref name="address"/> matches <paramref name="entry"/>.</summary>
    public static bool Matches(string entry, IPAddress address)
    {
        if (entry == All)
        {
            return true;
        }

        if (!TryParseNetwork(entry, out var network))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6 && network.BaseAddress.AddressFamily == AddressFamily.InterNetwork)
        {
            address = address.MapToIPv4();
        }

        return network.Contains(address);
    }

    private static bool TryParseNetwork(string? entry, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrEmpty(entry))
        {
            return false;
        }

        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? entry : entry[..slash];
        if (!TryParseAddress(addressText, out var address))
        {
            return false;
        }

        var width = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = width;
        if (slash >= 0)
        {
            var prefixText = entry[(slash + 1)..];
            if (prefixText.Length == 0 || !prefixText.All(char.IsAsciiDigit)
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > width)
            {
                return false;
            }
        }

        // IPNetwork requires the host bits to be zero; "172.16.3.4/16" means the network 172.16.0.0/16.
        network = new IPNetwork(MaskHostBits(address, prefix), prefix);
        return true;
    }

    private static bool TryParseAddress(string text, out IPAddress address)
    {
        // IPAddress.TryParse accepts "1" or "1.2" as IPv4; an ACL entry must be a full dotted quad or IPv6.
        address = IPAddress.None;
        var isIpv6 = text.Contains(':', StringComparison.Ordinal);
        if (!isIpv6 && text.Split('.').Length != 4)
        {
            return false;
        }

        return IPAddress.TryParse(text, out address!)
            && address.AddressFamily == (isIpv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
    }

    private static IPAddress MaskHostBits(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }
}
