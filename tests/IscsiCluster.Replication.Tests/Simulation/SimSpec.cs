namespace IscsiCluster.Replication.Tests.Simulation;

/// <summary>
/// One schedule, packed into one number so that <c>ISCSI_CLUSTER_SIM_SEED=N</c> replays it: the random stream's seed, the
/// cluster size, the fault mix and the operation mix (FsCheck generates the fields), and the deliberately broken behaviours
/// a test turned on. With <see cref="PowerLoss"/>, half the crashes are power losses, and only durably acknowledged writes
/// (FUA, or acknowledged before a successful SYNCHRONIZE CACHE was issued) must survive.
/// </summary>
internal sealed record SimSpec(
    uint Seed,
    int Replicas,
    int Loss,
    int Duplication,
    int Delay,
    int Crashes,
    int Pauses,
    int Partitions,
    int Handoffs,
    int OpMix,
    int Operations,
    int Sizes,
    bool MultiRange,
    ProtocolBreakage Breakage,
    bool PowerLoss = false)
{
    public ulong Pack() =>
        Seed
        | (ulong)(Replicas == 5 ? 1 : 0) << 32
        | (ulong)(Loss & 3) << 33
        | (ulong)(Duplication & 3) << 35
        | (ulong)(Delay & 3) << 37
        | (ulong)(Crashes & 3) << 39
        | (ulong)(Pauses & 3) << 41
        | (ulong)(Partitions & 3) << 43
        | (ulong)(Handoffs & 3) << 45
        | (ulong)(OpMix & 3) << 47
        | (ulong)(Operations & 63) << 49
        | (ulong)(Sizes & 3) << 55
        | (ulong)(MultiRange ? 1 : 0) << 57
        | (ulong)((int)Breakage & 15) << 58
        | (ulong)(PowerLoss ? 1 : 0) << 62
        | (ulong)(((int)Breakage >> 4) & 1) << 63;

    public static SimSpec Unpack(ulong packed) => new(
        (uint)packed,
        ((packed >> 32) & 1) == 1 ? 5 : 3,
        (int)(packed >> 33) & 3,
        (int)(packed >> 35) & 3,
        (int)(packed >> 37) & 3,
        (int)(packed >> 39) & 3,
        (int)(packed >> 41) & 3,
        (int)(packed >> 43) & 3,
        (int)(packed >> 45) & 3,
        (int)(packed >> 47) & 3,
        (int)(packed >> 49) & 63,
        (int)(packed >> 55) & 3,
        ((packed >> 57) & 1) == 1,
        (ProtocolBreakage)(((int)(packed >> 58) & 15) | ((int)(packed >> 63) & 1) << 4),
        ((packed >> 62) & 1) == 1);

    public override string ToString() =>
        $"seed={Pack()} (replicas={Replicas} loss={Loss} dup={Duplication} delay={Delay} crashes={Crashes} pauses={Pauses} "
        + $"partitions={Partitions} handoffs={Handoffs} ops={Operations} mix={OpMix} sizes={Sizes} multirange={MultiRange}"
        + (PowerLoss ? " powerloss" : string.Empty)
        + (Breakage != ProtocolBreakage.None ? $" broken={Breakage}" : string.Empty) + ")";
}
