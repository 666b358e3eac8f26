namespace IscsiCluster.Iscsi.Protocol.Text;

/// <summary>One key=value pair of a Login or Text data segment (RFC 7143 6.1).</summary>
public readonly record struct TextKeyValue(string Key, string Value)
{
    /// <summary>"key=value", for logs of non-secret keys only.</summary>
    public override string ToString() => $"{Key}={Value}";
}
