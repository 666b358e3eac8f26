using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sense;
using IscsiCluster.Scsi.Spc;

namespace IscsiCluster.Scsi;

/// <summary>
/// A LUN the target does not have (SPC-4 6.4.2 and 6.39). INQUIRY answers peripheral
/// qualifier 011b, device type 1Fh; REPORT LUNS lists the target's LUNs; REQUEST SENSE
/// returns LOGICAL UNIT NOT SUPPORTED sense data with GOOD status; every other command
/// ends in CHECK CONDITION, ILLEGAL REQUEST, LOGICAL UNIT NOT SUPPORTED. It owes no unit attentions.
/// </summary>
public sealed class AbsentUnit : IScsiUnit
{
    private static readonly ushort[] Versions = [VersionDescriptor.Sam5, VersionDescriptor.Spc4];

    private readonly UnitEngine _engine;

    /// <param name="identity">Vendor, product and revision to report (the unit id and serial number are not used).</param>
    public AbsentUnit(LogicalUnitIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        identity.Validate();
        _engine = new UnitEngine(ownsUnitAttentions: false, SenseReason.LogicalUnitNotSupported, onReset: null);
        var inquiry = new InquiryCommand(
            PeripheralDevice.NotSupported,
            StandardInquiry.Build(PeripheralDevice.NotSupported, identity, Versions),
            []);
        _engine.Commands = new CommandSet(
        [
            new RequestSenseCommand(_ => SenseReason.LogicalUnitNotSupported).Entry,
            inquiry.Entry,
            new ReportLunsCommand(_engine).Entry,
        ]);
    }

    /// <inheritdoc />
    public ValueTask<CommandComplete> ExecuteAsync(ExecuteCommand command, CancellationToken ct = default) =>
        _engine.ExecuteAsync(command, ct);

    /// <inheritdoc/>
    public bool MayOverlap(ExecuteCommand command) => false;

    /// <summary>SAM-5 7.12: every function addressed to a LUN that does not exist is answered LUN DOES NOT EXIST.</summary>
    public TaskManagementDone Manage(TaskManagementRequest request) =>
        new(request.Function, TaskManagementResponse.LunDoesNotExist);

    /// <inheritdoc />
    public void OnNexusLost(ITNexus nexus) => _engine.OnNexusLost(nexus);

    /// <inheritdoc />
    public void SetInventory(IReadOnlyList<ulong> luns) => _engine.SetInventory(luns);
}
