namespace IscsiCluster.Config;

/// <summary>Where a value was written: a file, resource or string description, and a 1-based line.</summary>
internal sealed record ConfigOrigin(string Description, int Line)
{
    public override string ToString() => $"{Description}:{Line}";
}
