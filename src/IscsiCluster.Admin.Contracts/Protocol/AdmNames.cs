namespace IscsiCluster.Admin.Contracts.Protocol;

/// <summary>The words tgtadm uses for modes and ops, with the abbreviations it accepts (usr/tgtadm.c str_to_mode, str_to_op).</summary>
public static class AdmNames
{
    private static readonly (string Name, AdmMode Mode)[] Modes =
    [
        ("system", AdmMode.System), ("sys", AdmMode.System),
        ("target", AdmMode.Target), ("tgt", AdmMode.Target),
        ("logicalunit", AdmMode.LogicalUnit), ("lu", AdmMode.LogicalUnit),
        ("portal", AdmMode.Portal), ("pt", AdmMode.Portal),
        ("session", AdmMode.Session), ("sess", AdmMode.Session),
        ("connection", AdmMode.Connection), ("conn", AdmMode.Connection),
        ("account", AdmMode.Account),
        ("lld", AdmMode.Lld),
        ("cluster", AdmMode.Cluster),
    ];

    private static readonly (string Name, AdmOp Op)[] Ops =
    [
        ("new", AdmOp.New), ("delete", AdmOp.Delete), ("bind", AdmOp.Bind), ("unbind", AdmOp.Unbind),
        ("show", AdmOp.Show), ("update", AdmOp.Update), ("stat", AdmOp.Stat), ("start", AdmOp.Start), ("stop", AdmOp.Stop),
    ];

    public static bool TryParseMode(string text, out AdmMode mode)
    {
        foreach (var (name, value) in Modes)
        {
            if (name == text)
            {
                mode = value;
                return true;
            }
        }

        mode = default;
        return false;
    }

    public static bool TryParseOp(string text, out AdmOp op)
    {
        foreach (var (name, value) in Ops)
        {
            if (name == text)
            {
                op = value;
                return true;
            }
        }

        op = default;
        return false;
    }

    /// <summary>The full name of a mode, as --help writes it.</summary>
    public static string ModeName(AdmMode mode) => Modes.First(m => m.Mode == mode).Name;

    public static string OpName(AdmOp op) => Ops.First(o => o.Op == op).Name;
}
