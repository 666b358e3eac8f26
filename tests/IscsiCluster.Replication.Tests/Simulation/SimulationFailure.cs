namespace IscsiCluster.Replication.Tests.Simulation;

/// <summary>A schedule broke a check: the message names the seed and the command that replays it step by step.</summary>
internal sealed class SimulationFailure(SimSpec spec, string violation)
    : Exception($"{violation}\n  {spec}\n  replay: ISCSI_CLUSTER_SIM_SEED={spec.Pack()} dotnet test tests/IscsiCluster.Replication.Tests --filter ReplaySeed --logger \"console;verbosity=detailed\"")
{
    public SimSpec Spec { get; } = spec;
}
