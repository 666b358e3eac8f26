using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Commands;

/// <summary>The commands one kind of logical unit supports, in opcode order.</summary>
internal sealed class CommandSet
{
    private readonly Dictionary<(byte OpCode, ushort? ServiceAction), CommandEntry> _byKey = [];
    private readonly HashSet<byte> _withServiceActions = [];

    public CommandSet(IEnumerable<CommandEntry> entries)
    {
        Entries = [.. entries.OrderBy(e => e.OpCode).ThenBy(e => e.ServiceAction)];
        foreach (var entry in Entries)
        {
            // SPC-4 4.2.5.1: the group code fixes the CDB length; a usage row of another length is a table typo.
            if (entry.Usage[0] != entry.OpCode || entry.CdbLength != Cdb.LengthOf(entry.OpCode))
            {
                throw new ArgumentException($"The CDB usage data of opcode {entry.OpCode:X2}h does not fit its group code.", nameof(entries));
            }

            _byKey.Add((entry.OpCode, entry.ServiceAction), entry);
            if (entry.ServiceAction is not null)
            {
                _withServiceActions.Add(entry.OpCode);
            }
        }
    }

    /// <summary>Every supported command.</summary>
    public IReadOnlyList<CommandEntry> Entries { get; }

    /// <summary>True when <paramref name="opCode"/> is supported only with service actions.</summary>
    public bool HasServiceActions(byte opCode) => _withServiceActions.Contains(opCode);

    /// <summary>True when any entry has <paramref name="opCode"/>.</summary>
    public bool Supports(byte opCode) => _withServiceActions.Contains(opCode) || _byKey.ContainsKey((opCode, null));

    /// <summary>Finds the entry for an opcode and (when it has them) service action.</summary>
    public bool TryFind(byte opCode, ushort? serviceAction, out CommandEntry entry) =>
        _byKey.TryGetValue((opCode, serviceAction), out entry!);

    /// <summary>
    /// Finds the entry for a CDB, or the problem: INVALID COMMAND OPERATION CODE for an
    /// unknown opcode (SPC-4 4.2.5.1), INVALID FIELD IN CDB at the SERVICE ACTION field
    /// for an unknown service action of a known opcode.
    /// </summary>
    public bool TryFind(ReadOnlySpan<byte> cdb, out CommandEntry entry, out SenseProblem problem)
    {
        var opCode = Cdb.OperationCode(cdb);
        problem = default;
        if (HasServiceActions(opCode))
        {
            if (cdb.Length < 2 || !TryFind(opCode, Cdb.ServiceActionOf(cdb), out entry))
            {
                entry = null!;
                problem = SenseProblem.CdbField(1, 4);
                return false;
            }

            return true;
        }

        if (TryFind(opCode, null, out entry))
        {
            return true;
        }

        problem = SenseReason.InvalidCommandOperationCode;
        return false;
    }
}
