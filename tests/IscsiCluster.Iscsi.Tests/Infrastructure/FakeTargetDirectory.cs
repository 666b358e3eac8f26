using System.Collections.Concurrent;
using IscsiCluster.Iscsi.Targets;

namespace IscsiCluster.Iscsi.Tests.Infrastructure;

/// <summary>A target directory with targets set up by the test.</summary>
internal sealed class FakeTargetDirectory : ITargetDirectory
{
    private readonly ConcurrentDictionary<string, TargetAccess> _targets = new(StringComparer.Ordinal);

    public DiscoveryAccess Discovery { get; set; } = new([], null);

    /// <summary>The TargetAddress values reported for every target.</summary>
    public IReadOnlyList<string> Addresses { get; set; } = ["127.0.0.1:3260,1"];

    /// <summary>When set, logins to any target fail as if the cluster could not decide them, with this reason.</summary>
    public string? Unavailable { get; set; }

    public void Add(TargetAccess target) => _targets[target.TargetName] = target;

    public ValueTask<IReadOnlyList<TargetListing>> ListTargetsAsync(InitiatorContext initiator, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<TargetListing>>(
            [.. _targets.Values.Where(t => t.InitiatorAllowed).OrderBy(t => t.TargetName, StringComparer.Ordinal).Select(t => new TargetListing(t.TargetName, Addresses))]);

    public ValueTask<TargetAccess?> GetTargetAsync(string targetName, InitiatorContext initiator, CancellationToken cancellationToken) =>
        Unavailable is { } reason
            ? throw new TargetUnavailableException(reason)
            : ValueTask.FromResult(_targets.TryGetValue(targetName, out var target) ? target : null);

    public ValueTask<DiscoveryAccess> GetDiscoveryAccessAsync(InitiatorContext initiator, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Discovery);
}
