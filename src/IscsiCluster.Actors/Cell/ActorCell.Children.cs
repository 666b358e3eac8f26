namespace IscsiCluster.Actors;

/// <summary>
/// The children table. It is locked because <see cref="ActorSystem.ActorOf"/> and <see cref="ActorSystem.Stop"/>
/// reach the guardians from any thread; a name stays taken until the child has fully stopped.
/// </summary>
internal sealed partial class ActorCell
{
    private const string GeneratedNamePrefix = "$";
    private const string Letters = "abcdefghijklmnopqrstuvwxyz";

    private readonly Dictionary<string, ChildRestartStats> _children = new(StringComparer.Ordinal);
    private readonly Lock _childrenLock = new();
    private long _generatedNames;

    public IEnumerable<IActorRef> Children
    {
        get
        {
            lock (_childrenLock)
            {
                return [.. _children.Values.Select(static child => (IActorRef)child.Child)];
            }
        }
    }

    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        var childName = name ?? NextGeneratedName();
        if (name is not null)
        {
            ValidateName(name);
        }

        LocalActorRef child;
        lock (_childrenLock)
        {
            if (_terminating)
            {
                throw new InvalidOperationException($"{Self.Path} is stopping and cannot create the child '{childName}'");
            }

            if (_children.ContainsKey(childName))
            {
                throw new InvalidActorNameException($"The actor name '{childName}' is not unique under {Self.Path}");
            }

            child = new ActorCell(_system, props, Self, Self.Path.Child(childName)).Self;
            _children.Add(childName, new ChildRestartStats(child));
        }

        child.SendSystemMessage(CreateActor.Instance);
        return child;
    }

    public IActorRef Child(string name)
    {
        lock (_childrenLock)
        {
            return _children.TryGetValue(name, out var child) ? child.Child : ActorRefs.Nobody;
        }
    }

    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        StopActorRef(actor);
    }

    /// <summary>Marks the actor as stopping in its parent's table and sends it the stop system message.</summary>
    internal static void StopActorRef(IActorRef actor)
    {
        if (ActorRefWrapper.Unwrap(actor) is not LocalActorRef target)
        {
            return;
        }

        if (target.Cell._parent is LocalActorRef parent)
        {
            parent.Cell.MarkStopRequested(target);
        }

        target.SendSystemMessage(StopActor.Instance);
    }

    private static void ValidateName(string name)
    {
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.StartsWith(GeneratedNamePrefix, StringComparison.Ordinal))
        {
            throw new InvalidActorNameException($"'{name}' is not a valid actor name: it must be non-empty, without '/', and not start with '$'");
        }
    }

    /// <summary>Generated names count in base 26: $a ... $z, $ba, $bb, ...</summary>
    private string NextGeneratedName()
    {
        var number = Interlocked.Increment(ref _generatedNames) - 1;
        Span<char> buffer = stackalloc char[16];
        var position = buffer.Length;
        do
        {
            buffer[--position] = Letters[(int)(number % Letters.Length)];
            number /= Letters.Length;
        }
        while (number > 0);
        return GeneratedNamePrefix + new string(buffer[position..]);
    }

    private void MarkStopRequested(LocalActorRef child)
    {
        lock (_childrenLock)
        {
            if (_children.TryGetValue(child.Path.Name, out var stats) && ReferenceEquals(stats.Child, child))
            {
                stats.StopRequested = true;
            }
        }
    }

    private ChildRestartStats? FindChild(LocalActorRef child)
    {
        lock (_childrenLock)
        {
            return _children.TryGetValue(child.Path.Name, out var stats) && ReferenceEquals(stats.Child, child) ? stats : null;
        }
    }

    private bool TryRemoveChild(LocalActorRef child)
    {
        lock (_childrenLock)
        {
            return _children.TryGetValue(child.Path.Name, out var stats) && ReferenceEquals(stats.Child, child)
                && _children.Remove(child.Path.Name);
        }
    }

    private bool HasChildren()
    {
        lock (_childrenLock)
        {
            return _children.Count > 0;
        }
    }

    private bool HasChildrenBeingStopped()
    {
        lock (_childrenLock)
        {
            return _children.Values.Any(static child => child.StopRequested);
        }
    }
}
