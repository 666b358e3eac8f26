using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sense;
using IscsiCluster.Scsi.Spc;

namespace IscsiCluster.Scsi;

/// <summary>
/// LUN 0 of a target with no disk there: a storage array controller (SPC-4 6.4.2,
/// peripheral device type 0Ch), as tgt presents it. It answers INQUIRY, REPORT LUNS,
/// TEST UNIT READY, REQUEST SENSE and the MAINTENANCE IN reports (supported operation
/// codes and task management functions, target port groups); other commands are
/// INVALID COMMAND OPERATION CODE.
/// </summary>
public sealed class ControllerUnit : IScsiUnit
{
    private static readonly ushort[] Versions = [VersionDescriptor.Sam5, VersionDescriptor.Spc4, VersionDescriptor.Iscsi];

    private readonly UnitEngine _engine;

    public ControllerUnit(LogicalUnitIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        identity.Validate();
        Identity = identity;
        _engine = new UnitEngine(ownsUnitAttentions: true, SenseReason.InvalidCommandOperationCode, onReset: null);
        var inquiry = new InquiryCommand(
            PeripheralDevice.StorageArrayController,
            StandardInquiry.Build(PeripheralDevice.StorageArrayController, identity, Versions),
            [
                InquiryCommand.SerialNumberPage(identity.SerialNumber),
                new VpdPage(VpdPageCode.DeviceIdentification, nexus => DeviceIdentification.Build(identity, nexus)),
            ]);
        _engine.Commands = new CommandSet(
        [
            TestUnitReadyCommand.Entry,
            new RequestSenseCommand(RequestSenseCommand.TakeUnitAttention).Entry,
            inquiry.Entry,
            new ReportLunsCommand(_engine).Entry,
            new ReportSupportedOperationCodesCommand(() => _engine.Commands).Entry,
            ReportSupportedTaskManagementFunctionsCommand.Entry,
            ReportTargetPortGroupsCommand.For(null),
        ]);
    }

    /// <summary>What the unit reports about itself.</summary>
    public LogicalUnitIdentity Identity { get; }

    /// <inheritdoc />
    public ValueTask<CommandComplete> ExecuteAsync(ExecuteCommand command, CancellationToken ct = default) =>
        _engine.ExecuteAsync(command, ct);

    /// <inheritdoc/>
    public bool MayOverlap(ExecuteCommand command) => _engine.MayOverlap(command);

    /// <inheritdoc />
    public TaskManagementDone Manage(TaskManagementRequest request) => _engine.Manage(request);

    /// <inheritdoc />
    public void OnNexusLost(ITNexus nexus) => _engine.OnNexusLost(nexus);

    /// <inheritdoc />
    public void SetInventory(IReadOnlyList<ulong> luns) => _engine.SetInventory(luns);
}
