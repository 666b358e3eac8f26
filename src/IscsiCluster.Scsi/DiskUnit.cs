using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sbc;
using IscsiCluster.Scsi.Sense;
using IscsiCluster.Scsi.Spc;

namespace IscsiCluster.Scsi;

/// <summary>
/// A direct access block device (SBC-3) over an <see cref="IBlockDevice"/>: thin
/// provisioned, no protection information, one command at a time.
/// </summary>
public sealed class DiskUnit : IScsiUnit
{
    private static readonly ushort[] Versions =
        [VersionDescriptor.Sam5, VersionDescriptor.Spc4, VersionDescriptor.Sbc3, VersionDescriptor.Iscsi];

    private readonly UnitEngine _engine;

    public DiskUnit(LogicalUnitIdentity identity, IBlockDevice device, DiskOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(device);
        identity.Validate();
        Identity = identity;
        var disk = new Disk(device, options ?? new DiskOptions());
        _engine = new UnitEngine(ownsUnitAttentions: true, SenseReason.InvalidCommandOperationCode, disk.Mode.Reset);
        var inquiry = new InquiryCommand(
            PeripheralDevice.DirectAccessBlock,
            StandardInquiry.Build(PeripheralDevice.DirectAccessBlock, identity, Versions),
            [
                InquiryCommand.SerialNumberPage(identity.SerialNumber),
                new VpdPage(VpdPageCode.DeviceIdentification, nexus => DeviceIdentification.Build(identity, nexus)),
                .. BlockVpdPages.For(disk),
            ]);
        var readWrite = new ReadWriteCommands(disk);
        _engine.Commands = new CommandSet(
        [
            TestUnitReadyCommand.Entry,
            new RequestSenseCommand(RequestSenseCommand.TakeUnitAttention).Entry,
            inquiry.Entry,
            new ReportLunsCommand(_engine).Entry,
            .. new ModeSenseCommand(disk).Entries,
            .. new ReadCapacityCommands(disk).Entries,
            .. readWrite.Entries,
            .. new SynchronizeCacheCommands(disk).Entries,
            .. new WriteSameCommands(disk).Entries,
            new UnmapCommand(disk).Entry,
            new CompareAndWriteCommand(disk).Entry,
            .. new VerifyCommands(disk, readWrite).Entries,
            new GetLbaStatusCommand(disk).Entry,
            .. new PreFetchCommands(disk, readWrite).Entries,
            .. new MediumCommands(disk).Entries,
            .. new ModeSelectCommand(disk, _engine.Nexuses).Entries,
            new ReportSupportedOperationCodesCommand(() => _engine.Commands).Entry,
            ReportSupportedTaskManagementFunctionsCommand.Entry,
            ReportTargetPortGroupsCommand.Entry,
        ]);
    }

    /// <summary>What the unit reports about itself.</summary>
    public LogicalUnitIdentity Identity { get; }

    /// <inheritdoc />
    public ValueTask<CommandComplete> ExecuteAsync(ExecuteCommand command, CancellationToken ct = default) =>
        _engine.ExecuteAsync(command, ct);

    /// <inheritdoc />
    public TaskManagementDone Manage(TaskManagementRequest request) => _engine.Manage(request);

    /// <inheritdoc />
    public void OnNexusLost(ITNexus nexus) => _engine.OnNexusLost(nexus);

    /// <inheritdoc />
    public void SetInventory(IReadOnlyList<ulong> luns) => _engine.SetInventory(luns);
}
