namespace IscsiCluster.Iscsi.Protocol.Chap;

/// <summary>A CHAP user name and secret. <see cref="ToString"/> never shows the secret.</summary>
public sealed class ChapAccount
{
    public ChapAccount(string userName, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        UserName = userName;
        Secret = secret;
    }

    public string UserName { get; }

    /// <summary>The shared secret, used as its UTF-8 bytes (RFC 1994 section 2).</summary>
    public string Secret { get; }

    public override string ToString() => $"ChapAccount {{ UserName = {UserName} }}";
}
