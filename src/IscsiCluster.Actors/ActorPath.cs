namespace IscsiCluster.Actors;

/// <summary>The hierarchical name of an actor, rendered as <c>/user/parent/child</c>.</summary>
public sealed class ActorPath : IEquatable<ActorPath>
{
    private readonly string _text;

    private ActorPath(ActorPath? parent, string name)
    {
        Parent = parent;
        Name = name;
        _text = parent is null ? string.Empty : parent._text + "/" + name;
    }

    /// <summary>The root of every path ("/").</summary>
    public static ActorPath Root { get; } = new(null, string.Empty);

    public ActorPath? Parent { get; }

    public string Name { get; }

    public ActorPath Child(string name) => new(this, name);

    public bool Equals(ActorPath? other) => other is not null && string.Equals(_text, other._text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is ActorPath other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_text);

    public override string ToString() => _text.Length == 0 ? "/" : _text;
}
