using IscsiCluster.Admin.Contracts.Editing;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Node.Configuration;
using IscsiCluster.Node.Luns;

namespace IscsiCluster.Node.Administration;

/// <summary>
/// The first configuration of a new cluster: the HOCON <c>iscsi-cluster.targets</c> list of the node that
/// owns the configuration when it is first needed, with tids 1..N in list order, the accounts each target
/// names (see reference.conf) and a fresh cluster-wide id for every LUN.
/// </summary>
public static class ConfigurationSeed
{
    private const string Path = "iscsi-cluster.targets";

    /// <exception cref="NodeConfigurationException">The list cannot be expressed as a configuration (a name tgtadm refuses, one user with two passwords).</exception>
    public static ClusterConfiguration FromSettings(IReadOnlyList<TargetSettings> targets)
    {
        var accounts = new List<AccountDefinition>();
        var configuration = ClusterConfiguration.Empty;
        for (var index = 0; index < targets.Count; index++)
        {
            var target = targets[index];
            if (!ConfigurationEditor.IsValidTargetName(target.Name))
            {
                throw new NodeConfigurationException($"{Path}[{index}].name: '{target.Name}' has characters an administrator could not type back (use letters, digits, '.', '-' and ':')");
            }

            var incoming = target.IncomingAccounts.Select(a => AddAccount(accounts, a.User, a.Secret, index)).ToList();
            var outgoing = target.OutgoingAccount is { } account ? AddAccount(accounts, account.User, account.Secret, index) : null;
            var luns = target.Luns
                .Select(lun => new LunDefinition(lun.Lun, lun.SizeBytes, lun.BlockSize, LunDefinition.ThinDescription, LunDefinition.StoreBsType, LunSource.Thin, LunIds.NewId()))
                .ToList();

            configuration = configuration.WithTarget(new TargetDefinition(
                index + 1,
                target.Name,
                target.Alias,
                luns,
                [.. target.Acl.AddressEntries],
                [.. target.Acl.NameEntries],
                incoming,
                outgoing,
                TargetState.Ready));
        }

        return configuration with { Accounts = accounts };
    }

    private static string AddAccount(List<AccountDefinition> accounts, string user, string password, int index)
    {
        var existing = accounts.FirstOrDefault(a => a.User == user);
        if (existing is null)
        {
            accounts.Add(new AccountDefinition(user, password));
        }
        else if (existing.Password != password)
        {
            throw new NodeConfigurationException($"{Path}[{index}]: account '{user}' is given two different passwords; an account has one password on every target it is bound to");
        }

        return user;
    }
}
