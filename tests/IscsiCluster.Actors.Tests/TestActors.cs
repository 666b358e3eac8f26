namespace IscsiCluster.Actors.Tests;

/// <summary>Replies every message to its sender.</summary>
internal sealed class EchoActor : ReceiveActor
{
    public EchoActor()
    {
        ReceiveAny(message => Sender.Tell(message));
    }
}

/// <summary>Keeps a count ("inc", "get"), throws on "boom", and reports "started:name"/"stopped:name" to a probe.</summary>
internal sealed class CounterActor : ReceiveActor
{
    private readonly IActorRef? _lifecycle;
    private int _count;

    public CounterActor(IActorRef? lifecycle = null)
    {
        _lifecycle = lifecycle;
        Receive<string>(_ => _count++, message => message == "inc");
        Receive<string>(_ => Sender.Tell(_count), message => message == "get");
        Receive<string>(_ => throw new InvalidOperationException("boom"), message => message == "boom");
    }

    protected override void PreStart() => _lifecycle?.Tell("started:" + Self.Path.Name);

    protected override void PostStop() => _lifecycle?.Tell("stopped:" + Self.Path.Name);
}

internal sealed record ChildCreated(IActorRef Child);

/// <summary>Creates <c>child-1</c>..<c>child-N</c> in PreStart, reports each, and reports its own PostStop.</summary>
internal sealed class ParentActor : ReceiveActor
{
    private readonly Props _childProps;
    private readonly IActorRef _report;
    private readonly int _children;

    public ParentActor(Props childProps, IActorRef report, int children = 1)
    {
        _childProps = childProps;
        _report = report;
        _children = children;
    }

    protected override void PreStart()
    {
        for (var i = 1; i <= _children; i++)
        {
            _report.Tell(new ChildCreated(Context.ActorOf(_childProps, "child-" + i)));
        }
    }

    protected override void PostStop() => _report.Tell("stopped:" + Self.Path.Name);
}
