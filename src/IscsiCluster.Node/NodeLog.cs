using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node;

/// <summary>The node's log lines (event ids 1000-1099). No line carries a CHAP secret.</summary>
internal static partial class NodeLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Node {Name} starting; store in {DataDirectory}")]
    public static partial void Starting(ILogger logger, string name, string dataDirectory);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Store open: RocksDB {Version} through RocksDbSharp ({Library})")]
    public static partial void StoreOpened(ILogger logger, string version, string library);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "This node owns the cluster's configuration (version {Version}, epoch {Epoch})")]
    public static partial void ConfigurationOwned(ILogger logger, long version, long epoch);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "Configuration version {Version} of the cluster: {Targets} targets")]
    public static partial void ConfigurationAdopted(ILogger logger, long version, int targets);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "The store holds a configuration of the single-node release; its volumes are not read by this version and it is ignored (copy the data with qemu-img before upgrading)")]
    public static partial void SingleNodeConfigurationIgnored(ILogger logger);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Portal listening on {EndPoint}")]
    public static partial void PortalListening(ILogger logger, string endPoint);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Target {Tid} {Target}: LUN {Lun} is {SizeBytes} bytes in {BlockSize}-byte blocks (volume {VolumeId:x15})")]
    public static partial void LunReady(ILogger logger, int tid, string target, ulong lun, long sizeBytes, int blockSize, ulong volumeId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Node {Name} stopping")]
    public static partial void Stopping(ILogger logger, string name);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Node {Name} stopped; store flushed and closed")]
    public static partial void Stopped(ILogger logger, string name);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "LUN {Lun}: command with task tag {TaskTag:x8} failed in the backing store")]
    public static partial void CommandFailed(ILogger logger, ulong lun, uint taskTag, Exception exception);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "Target {Tid} {Target} admits no initiator: it has no ACL entry (iscsi-cluster adm --op bind --mode target --tid {Tid} -I ADDRESS)")]
    public static partial void TargetWithoutAcl(ILogger logger, int tid, string target);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Information, Message = "Configuration loaded from the store: {Targets} targets, {Accounts} accounts")]
    public static partial void ConfigurationLoaded(ILogger logger, int targets, int accounts);

    [LoggerMessage(EventId = 1031, Level = LogLevel.Information, Message = "The store held no configuration: seeded {Targets} targets from iscsi-cluster.targets")]
    public static partial void ConfigurationSeeded(ILogger logger, int targets);

    [LoggerMessage(EventId = 1032, Level = LogLevel.Information, Message = "iscsi-cluster.targets is ignored: the store holds the configuration (change it with iscsi-cluster adm)")]
    public static partial void ConfiguredTargetsIgnored(ILogger logger);

    [LoggerMessage(EventId = 1033, Level = LogLevel.Information, Message = "Configuration changed and stored: {Request}")]
    public static partial void ConfigurationChanged(ILogger logger, string request);

    [LoggerMessage(EventId = 1034, Level = LogLevel.Information, Message = "Management request refused ({Error}): {Request}")]
    public static partial void RequestRefused(ILogger logger, string error, string request);

    [LoggerMessage(EventId = 1035, Level = LogLevel.Error, Message = "Management request failed: {Request}")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string request);

    [LoggerMessage(EventId = 1036, Level = LogLevel.Information, Message = "Imported {Path}: {Length} bytes into volume {VolumeId:x15}")]
    public static partial void Imported(ILogger logger, string path, long length, ulong volumeId);

    [LoggerMessage(EventId = 1037, Level = LogLevel.Warning, Message = "Deleted volume {VolumeId:x15} ({SizeBytes} bytes): no LUN of the stored configuration uses it")]
    public static partial void OrphanVolumeDeleted(ILogger logger, ulong volumeId, long sizeBytes);

    [LoggerMessage(EventId = 1038, Level = LogLevel.Information, Message = "Target {Tid} {Target} deleted; its sessions are asked to log out")]
    public static partial void TargetRetired(ILogger logger, int tid, string target);

    [LoggerMessage(EventId = 1042, Level = LogLevel.Information, Message = "Node {Name} is leaving: its LUNs move to the other nodes, then its initiators are asked to log out")]
    public static partial void Draining(ILogger logger, string name);

    [LoggerMessage(EventId = 1043, Level = LogLevel.Information, Message = "Node {Name} drained in {Seconds:0.0} s (LUNs handed over: {HandedOff}; every initiator logged out: {LoggedOut})")]
    public static partial void Drained(ILogger logger, string name, bool handedOff, bool loggedOut, double seconds);

    [LoggerMessage(EventId = 1039, Level = LogLevel.Information, Message = "Target {Tid} {Target} started with {Luns} disk LUNs")]
    public static partial void TargetStarted(ILogger logger, int tid, string target, int luns);

    [LoggerMessage(EventId = 1040, Level = LogLevel.Information, Message = "Volume {VolumeId:x15} resized from {FromBytes} to {ToBytes} bytes")]
    public static partial void VolumeResized(ILogger logger, ulong volumeId, long fromBytes, long toBytes);

    [LoggerMessage(EventId = 1041, Level = LogLevel.Warning, Message = "Volume {VolumeId:x15} held {VolumeBytes} bytes, the stored configuration {ConfiguredBytes}: resized to the configuration (a resize was cut short)")]
    public static partial void VolumeSizeRestored(ILogger logger, ulong volumeId, long volumeBytes, long configuredBytes);
}
