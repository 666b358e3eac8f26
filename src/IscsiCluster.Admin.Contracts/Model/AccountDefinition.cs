namespace IscsiCluster.Admin.Contracts.Model;

/// <summary>A CHAP account (tgt's account mode): the user name and its secret.</summary>
/// <remarks>The password is a secret: show output never prints it and logs never carry it.</remarks>
public sealed record AccountDefinition(string User, string Password)
{
    /// <summary>Keeps the secret out of string renderings (logs, test failure messages).</summary>
    public override string ToString() => $"AccountDefinition {{ User = {User}, Password = *** }}";
}
