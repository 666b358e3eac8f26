using IscsiCluster.Scsi.Attention;

namespace IscsiCluster.Scsi.Reservations;

/// <summary>
/// The reservation state of one logical unit (SPC-4 5.13): registrations, the persistent
/// reservation, the PRgeneration counter, APTPL, and the SPC-2 reservation if any.
/// </summary>
internal sealed class ReservationState
{
    private readonly List<Registration> _registrations = [];

    /// <summary>Every registration, oldest first.</summary>
    public IReadOnlyList<Registration> Registrations => _registrations;

    /// <summary>PRgeneration (SPC-4 6.15.2): counts the PERSISTENT RESERVE OUT commands that changed registrations.</summary>
    public uint Generation { get; set; }

    /// <summary>Activate Persist Through Power Loss, as the last REGISTER or REGISTER AND MOVE set it (SPC-4 5.13.5).</summary>
    public bool Aptpl { get; set; }

    /// <summary>The persistent reservation's type, or null when none exists.</summary>
    public PersistentReservationType? Type { get; private set; }

    /// <summary>The holder of a reservation that is not of an all registrants type.</summary>
    public Registration? Holder { get; private set; }

    /// <summary>The I_T nexus holding an SPC-2 reservation (RESERVE(6)/(10)), or null.</summary>
    public NexusKey? Spc2Holder { get; set; }

    /// <summary>The registration of <paramref name="nexus"/>, or null.</summary>
    public Registration? Find(NexusKey nexus) => _registrations.Find(r => r.Matches(nexus));

    /// <summary>SPC-4 5.13.10: the holder, or any registrant under an all registrants type.</summary>
    public bool IsHolder(Registration? registration) =>
        registration is not null && Type is { } type && (type.IsAllRegistrants() || ReferenceEquals(Holder, registration));

    /// <summary>Creates (or replaces) the persistent reservation.</summary>
    public void Reserve(Registration holder, PersistentReservationType type)
    {
        Type = type;
        Holder = type.IsAllRegistrants() ? null : holder;
    }

    /// <summary>Releases the persistent reservation.</summary>
    public void Release()
    {
        Type = null;
        Holder = null;
    }

    /// <summary>Adds a registration.</summary>
    public void Add(Registration registration) => _registrations.Add(registration);

    /// <summary>
    /// Removes a registration. SPC-4 5.13.11.2.3: removing the holder of a reservation that is
    /// not all registrants releases it; an all registrants reservation lasts until its last
    /// registrant is gone. Returns the type of the reservation this released, or null.
    /// </summary>
    public PersistentReservationType? Remove(Registration registration)
    {
        _registrations.Remove(registration);
        var type = Type;
        if (ReferenceEquals(Holder, registration) || (type is { } t && t.IsAllRegistrants() && _registrations.Count == 0))
        {
            Release();
            return type;
        }

        return null;
    }

    /// <summary>Removes every registration and the reservation (CLEAR).</summary>
    public void Clear()
    {
        _registrations.Clear();
        Release();
    }

    /// <summary>
    /// True when a command of class <paramref name="access"/> from <paramref name="nexus"/>
    /// conflicts with the reservations: an SPC-2 reservation of another nexus blocks everything
    /// but <see cref="ReservationAccess.Unrestricted"/> commands and RESERVE/RELEASE (SPC-2 5.5.1);
    /// a persistent reservation blocks what SPC-4 5.13.1 table 50 and SBC-3 4.17 table 13 say.
    /// </summary>
    public bool Conflicts(NexusKey nexus, ReservationAccess access)
    {
        if (Spc2Holder is { } spc2 && spc2 != nexus)
        {
            return access is not (ReservationAccess.Unrestricted or ReservationAccess.Spc2Reservation);
        }

        if (Type is not { } type || access is not (ReservationAccess.Read or ReservationAccess.Write))
        {
            return false;
        }

        var registration = Find(nexus);
        if (IsHolder(registration) || (registration is not null && type.AdmitsRegistrants()))
        {
            return false;
        }

        return access == ReservationAccess.Write || !type.IsWriteExclusive();
    }
}
