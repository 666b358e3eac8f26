namespace IscsiCluster.Scsi.Spc;

/// <summary>PC field of MODE SENSE (SPC-4 6.11.1, table 180).</summary>
internal enum PageControl
{
    Current = 0,
    Changeable = 1,
    Default = 2,
    Saved = 3,
}

/// <summary>
/// The mode pages of a disk (SPC-4 7.5, SBC-3 6.4) and their current values. Values
/// live with the logical unit, shared by every I_T nexus; none can be saved (PS zero,
/// MODE SELECT with SP one and MODE SENSE of saved values are refused).
/// <para>
/// Current values are not saved values, but in a cluster they outlive a change of owner
/// (<see cref="ModePagePersistence"/>): moving the LUN to another node is neither a power
/// loss nor a reset, the only events after which SPC-4 (7.5.1) and SAM-5 (6.3) let current
/// values fall back, so every path reports the same page before and after the move.
/// </para>
/// </summary>
internal sealed class ModePages(bool defaultWriteCacheEnabled)
{
    /// <summary>Caching mode page (SBC-3 6.4.5).</summary>
    public const byte Caching = 0x08;

    /// <summary>Control mode page (SPC-4 7.5.7).</summary>
    public const byte Control = 0x0A;

    /// <summary>Informational exceptions control mode page (SPC-4 7.5.11).</summary>
    public const byte InformationalExceptions = 0x1C;

    /// <summary>MODE SENSE page code asking for every page (SPC-4 6.11.1).</summary>
    public const byte AllPages = 0x3F;

    private const byte WceBit = 0x04;                     // caching page byte 2
    private const byte DexcptBit = 0x08;                  // informational exceptions page byte 2

    private readonly bool _defaultWriteCacheEnabled = defaultWriteCacheEnabled;

    /// <summary>The supported pages in ascending order, as MODE SENSE returns them for page 3Fh.</summary>
    public static IReadOnlyList<byte> Codes { get; } = [Caching, Control, InformationalExceptions];

    /// <summary>The WCE bit now: with it zero every write goes to stable storage before completing (SBC-3 6.4.5).</summary>
    public bool WriteCacheEnabled { get; private set; } = defaultWriteCacheEnabled;

    /// <summary>The page, header included, with PC current, changeable or default values.</summary>
    public byte[] Build(byte code, PageControl control) => code switch
    {
        Caching => CachingPage(control switch
        {
            PageControl.Current => WriteCacheEnabled,
            PageControl.Changeable => true,
            _ => _defaultWriteCacheEnabled,
        }),
        // SPC-4 7.5.7: TST 000b (one task set), QUEUE ALGORITHM MODIFIER 0 (the unit runs one
        // command at a time), QERR 00b, D_SENSE 0 (fixed sense), UA_INTLCK_CTRL 00b, TAS 0;
        // nothing changeable.
        Control => Page(Control, 0x0A),
        // SPC-4 7.5.11: informational exceptions reporting disabled (DEXCPT), nothing changeable.
        InformationalExceptions => InformationalExceptionsPage(control != PageControl.Changeable),
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Unsupported mode page."),
    };

    /// <summary>
    /// SPC-4 6.9: the offset (within the page) of the first field MODE SELECT may not
    /// change that differs from its current value, or -1 when the page can be applied.
    /// The caller has checked the page code and length.
    /// </summary>
    public int FindUnchangeableField(ReadOnlySpan<byte> page)
    {
        var code = (byte)(page[0] & 0x3F);
        var current = Build(code, PageControl.Current);
        var changeable = Build(code, PageControl.Changeable);
        for (var i = 2; i < current.Length; i++)
        {
            if (((page[i] ^ current[i]) & ~changeable[i]) != 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Applies a page <see cref="FindUnchangeableField"/> accepted; true when a value changed.</summary>
    public bool Apply(ReadOnlySpan<byte> page)
    {
        if ((page[0] & 0x3F) != Caching)
        {
            return false;
        }

        var wce = (page[2] & WceBit) != 0;
        var changed = wce != WriteCacheEnabled;
        WriteCacheEnabled = wce;
        return changed;
    }

    /// <summary>SAM-5 6.3.3: a reset returns mode parameters to their default values (nothing is saved).</summary>
    public void Reset() => WriteCacheEnabled = _defaultWriteCacheEnabled;

    /// <summary>The pages whose current values differ from their defaults, header included, in ascending order.</summary>
    public IReadOnlyList<byte[]> ChangedPages() =>
        [.. Codes.Select(code => Build(code, PageControl.Current)).Where(page => !page.AsSpan().SequenceEqual(Build(page[0], PageControl.Default)))];

    /// <summary>
    /// Returns to the defaults, then applies <paramref name="pages"/> (from <see cref="ChangedPages"/>). A page that MODE
    /// SELECT would refuse (not supported, of another length, or changing what cannot change) is skipped; false then.
    /// </summary>
    public bool TryRestore(IReadOnlyList<byte[]> pages)
    {
        Reset();
        var all = true;
        foreach (var page in pages)
        {
            if (page.Length < 2 || (page[0] & 0xC0) != 0 || !Codes.Contains(page[0]) || page[1] != LengthOf(page[0])
                || page.Length != 2 + page[1] || FindUnchangeableField(page) >= 0)
            {
                all = false;
                continue;
            }

            Apply(page);
        }

        return all;
    }

    /// <summary>The PAGE LENGTH of a supported page.</summary>
    public static int LengthOf(byte code) => code switch
    {
        Caching => 0x12,
        Control or InformationalExceptions => 0x0A,
        _ => -1,
    };

    private static byte[] CachingPage(bool wce)
    {
        var page = Page(Caching, 0x12);
        page[2] = wce ? WceBit : (byte)0;
        return page;
    }

    private static byte[] InformationalExceptionsPage(bool dexcpt)
    {
        var page = Page(InformationalExceptions, 0x0A);
        page[2] = dexcpt ? DexcptBit : (byte)0;
        return page;
    }

    /// <summary>SPC-4 7.5.5, table 399: PS 0 (not savable), SPF 0, PAGE CODE, PAGE LENGTH.</summary>
    private static byte[] Page(byte code, byte length)
    {
        var page = new byte[2 + length];
        page[0] = code;
        page[1] = length;
        return page;
    }
}
