using IscsiCluster.Scsi.Alua;
using IscsiCluster.Scsi.Attention;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Copy;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sbc;
using IscsiCluster.Scsi.Sense;
using IscsiCluster.Scsi.Spc;

namespace IscsiCluster.Scsi;

/// <summary>
/// A direct access block device (SBC-3) over an <see cref="IBlockDevice"/>: thin
/// provisioned, no protection information, one command at a time, with persistent
/// reservations (SPC-4 5.13), SPC-2 RESERVE/RELEASE and a copy manager for EXTENDED COPY
/// within the unit (SPC-4 6.3).
/// </summary>
public sealed class DiskUnit : IScsiUnit
{
    /// <summary>The <see cref="IUnitStateStore"/> key of the persistent reservation state (saved while APTPL is in effect).</summary>
    public const string PersistentReservationsKey = "scsi.persistent-reservations";

    /// <summary>The <see cref="IUnitStateStore"/> key of the changed mode pages (kept only by a store that keeps state across owners).</summary>
    public const string ModePagesKey = "scsi.mode-pages";

    /// <summary>The <see cref="IUnitStateStore"/> key of the unit attentions owed (kept only by a store that keeps state across owners).</summary>
    public const string UnitAttentionsKey = "scsi.unit-attentions";

    private static readonly ushort[] Versions =
        [VersionDescriptor.Sam5, VersionDescriptor.Spc4, VersionDescriptor.Sbc3, VersionDescriptor.Iscsi];

    private readonly UnitEngine _engine;
    private readonly IBlockDevice _device;
    private readonly ReservationState _reservations = new();
    private readonly ExtendedCopyCommands _copyManager;
    private readonly ReservationPersistence _persistence;
    private readonly ModePagePersistence _modePages;
    private readonly Disk _disk;
    private long _blockCount;

    /// <param name="identity">What the unit reports about itself.</param>
    /// <param name="device">The backing blocks.</param>
    /// <param name="options">Limits and defaults; <see cref="DiskOptions"/>' defaults when null.</param>
    /// <param name="state">
    /// Durable LUN state. With it, APTPL is supported (PTPL_C one) and reservations saved under
    /// APTPL are restored here; without it, reservations last as long as this object. A store that
    /// keeps state across owners (<see cref="IUnitStateStore.KeepsStateAcrossOwners"/>) also keeps the
    /// changed mode pages and the unit attentions owed to each nexus, restored here too.
    /// </param>
    /// <param name="portGroups">
    /// The unit's target port groups and their access states (implicit ALUA across nodes); null for a unit served by one
    /// node only, whose one group is always active/optimized.
    /// </param>
    public DiskUnit(LogicalUnitIdentity identity, IBlockDevice device, DiskOptions? options = null, IUnitStateStore? state = null, IPortGroups? portGroups = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(device);
        identity.Validate();
        Identity = identity;
        _device = device;
        var disk = _disk = new Disk(device, options ?? new DiskOptions());
        _blockCount = device.BlockCount;
        var persistence = _persistence = new ReservationPersistence(state, PersistentReservationsKey);
        ReservationStateDiscarded = !persistence.TryRestore(_reservations);
        _modePages = new ModePagePersistence(state, ModePagesKey);
        var attentions = state is { KeepsStateAcrossOwners: true } ? new UnitAttentionPersistence(state, UnitAttentionsKey) : null;
        _engine = new UnitEngine(ownsUnitAttentions: true, SenseReason.InvalidCommandOperationCode, () => Reset(disk), attentions)
        {
            Reservations = _reservations,
            PortGroups = portGroups,
        };
        var inquiry = new InquiryCommand(
            PeripheralDevice.DirectAccessBlock,
            StandardInquiry.Build(PeripheralDevice.DirectAccessBlock, identity, Versions),
            [
                InquiryCommand.SerialNumberPage(identity.SerialNumber),
                new VpdPage(VpdPageCode.DeviceIdentification, nexus => DeviceIdentification.Build(identity, nexus)),
                .. BlockVpdPages.For(disk),
            ]);
        var readWrite = new ReadWriteCommands(disk);
        _copyManager = new ExtendedCopyCommands(disk, DeviceIdentification.NaaDesignation(identity), CopyLimits.Default);
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
            new OrWriteCommand(disk, readWrite).Entry,
            new WriteAtomicCommand(disk, readWrite).Entry,
            .. ReadDefectDataCommands.Entries,
            .. _copyManager.Entries,
            .. new VerifyCommands(disk, readWrite).Entries,
            new GetLbaStatusCommand(disk).Entry,
            .. new PreFetchCommands(disk, readWrite).Entries,
            .. new MediumCommands(disk).Entries,
            .. new ModeSelectCommand(disk, _engine.Nexuses, _modePages).Entries,
            .. new PersistentReserveInCommand(_reservations, persistence).Entries,
            .. new PersistentReserveOutCommand(_reservations, persistence, _engine.Nexuses).Entries,
            .. new ReserveReleaseCommands(_reservations).Entries,
            new ReportSupportedOperationCodesCommand(() => _engine.Commands).Entry,
            ReportSupportedTaskManagementFunctionsCommand.Entry,
            ReportTargetPortGroupsCommand.For(portGroups),
        ]);
        _modePages.TryRestore(disk.Mode);
        _engine.Nexuses.Restore();
    }

    /// <summary>What the unit reports about itself.</summary>
    public LogicalUnitIdentity Identity { get; }

    /// <summary>
    /// Reads the unit's state from its state store again: a new owner of a replicated LUN calls it once its replica holds
    /// everything the last owner saved. The persistent reservations and the mode pages replace what the unit holds; the
    /// unit attentions saved for each nexus join what the unit already owes (see <see cref="NexusTable.Restore"/>).
    /// False when some saved state could not be decoded (the unit then holds no registrations, default pages, or owes
    /// only what a new nexus is owed, for the part concerned).
    /// </summary>
    public bool RestoreState()
    {
        _reservations.Clear();
        var reservations = _persistence.TryRestore(_reservations);
        var modePages = _modePages.TryRestore(_disk.Mode);
        var attentions = _engine.Nexuses.Restore();
        return reservations && modePages && attentions;
    }

    /// <summary>
    /// True when the store held persistent reservation state this unit could not decode: the
    /// unit then started with no registrations (as after a power loss without APTPL). The node
    /// should log it; the next change under APTPL overwrites the bad state.
    /// </summary>
    public bool ReservationStateDiscarded { get; }

    /// <summary>
    /// Runs one command. A change of the device's capacity since the previous command first owes
    /// every nexus CAPACITY DATA HAS CHANGED (SBC-3 4.6, SPC-4 annex D 2Ah/09h), so a resize needs no call.
    /// </summary>
    public ValueTask<CommandComplete> ExecuteAsync(ExecuteCommand command, CancellationToken ct = default)
    {
        var blockCount = _device.BlockCount;
        if (blockCount != _blockCount)
        {
            _blockCount = blockCount;
            _engine.Nexuses.EstablishForAll(SenseReason.CapacityDataHasChanged);
        }

        return _engine.ExecuteAsync(command, ct);
    }

    /// <summary>
    /// The target port groups' access states changed (a failover, SPC-4 5.15.2.4): every nexus
    /// is owed ASYMMETRIC ACCESS STATE CHANGED.
    /// </summary>
    public void NotifyAsymmetricAccessStateChanged() =>
        _engine.Nexuses.EstablishForAll(SenseReason.AsymmetricAccessStateChanged);

    /// <inheritdoc/>
    public bool MayOverlap(ExecuteCommand command) => _engine.MayOverlap(command);

    /// <inheritdoc />
    public TaskManagementDone Manage(TaskManagementRequest request) => _engine.Manage(request);

    /// <summary>
    /// <inheritdoc />
    /// An SPC-2 reservation of that nexus ends with it (SPC-2 5.5.1); registrations stay (SPC-4 5.13.7);
    /// the copy results held for it are dropped.
    /// </summary>
    public void OnNexusLost(ITNexus nexus)
    {
        _engine.OnNexusLost(nexus);
        _copyManager.Forget(NexusKey.From(nexus));
        if (_reservations.Spc2Holder == NexusKey.From(nexus))
        {
            _reservations.Spc2Holder = null;
        }
    }

    /// <inheritdoc />
    public void SetInventory(IReadOnlyList<ulong> luns) => _engine.SetInventory(luns);

    /// <summary>How many I_T nexuses the unit keeps state for (for tests: lost ones must not pile up).</summary>
    internal int NexusCount => _engine.Nexuses.Count;

    /// <summary>
    /// SAM-5 6.3.3: a logical unit or target reset restores default mode parameters and ends an
    /// SPC-2 reservation; persistent reservations survive it (SPC-4 5.13.1).
    /// </summary>
    private void Reset(Disk disk)
    {
        disk.Mode.Reset();
        _modePages.Persist(disk.Mode);
        _reservations.Spc2Holder = null;
    }
}
