namespace IscsiCluster.Iscsi.Protocol.Chap;

/// <summary>
/// Who may log in to a target: the accounts initiators authenticate with (incoming), and the
/// account the target answers a mutual CHAP challenge with (outgoing).
/// </summary>
public sealed record AuthenticationPolicy(IReadOnlyList<ChapAccount> IncomingAccounts, ChapAccount? OutgoingAccount)
{
    /// <summary>No account: AuthMethod=None is accepted.</summary>
    public static AuthenticationPolicy Open { get; } = new([], null);

    /// <summary>With at least one incoming account CHAP is required and None refused.</summary>
    public bool AuthenticationRequired => IncomingAccounts.Count > 0;
}
