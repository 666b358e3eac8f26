using System.Text.Json;
using System.Text.Json.Serialization;

namespace IscsiCluster.Scsi.Reservations;

/// <summary>
/// The saved form of the persistent reservation state (SPC-4 5.13.5: registrations with their
/// I_T nexuses, the reservation, PRgeneration and APTPL). It is versioned UTF-8 JSON, small
/// (one object per registration) and readable when a person has to look at a LUN's state:
/// <code>
/// {"version":1,"generation":3,"aptpl":true,"reservation":{"type":1,"holder":0},
///  "registrations":[{"initiatorPort":"iqn.x,i,0x1","target":"iqn.t","relativeTargetPortId":1,"key":17}]}
/// </code>
/// "holder" indexes "registrations" and is -1 for an all registrants type; a relative target
/// port id of 0 is a registration made with ALL_TG_PT. SPC-2 reservations are not saved
/// (they do not survive a reset, SPC-2 5.5.1).
/// </summary>
internal static class ReservationStateCodec
{
    /// <summary>The format version this codec writes and reads.</summary>
    public const int Version = 1;

    /// <summary>Encodes the persistent part of <paramref name="state"/>.</summary>
    public static byte[] Encode(ReservationState state)
    {
        var registrations = state.Registrations;
        SavedReservation? reservation = state.Type is { } type
            ? new SavedReservation((byte)type, state.Holder is { } holder ? IndexOf(registrations, holder) : -1)
            : null;
        var saved = new SavedReservations(
            Version,
            state.Generation,
            state.Aptpl,
            reservation,
            [.. registrations.Select(r => new SavedRegistration(r.InitiatorPortName, r.TargetName, r.RelativeTargetPortId, r.Key))]);
        return JsonSerializer.SerializeToUtf8Bytes(saved, ReservationJsonContext.Default.SavedReservations);
    }

    /// <summary>
    /// Decodes saved state into the empty <paramref name="state"/>; false (leaving it empty)
    /// for anything that is not a well-formed state of this version.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, ReservationState state)
    {
        SavedReservations? saved;
        try
        {
            saved = JsonSerializer.Deserialize(data, ReservationJsonContext.Default.SavedReservations);
        }
        catch (JsonException)
        {
            return false;
        }

        if (saved is not { Version: Version, Registrations: { } list } || !IsValid(saved, list))
        {
            return false;
        }

        var registrations = list.Select(r => new Registration(r.InitiatorPort, r.Target, r.RelativeTargetPortId, r.Key)).ToList();
        registrations.ForEach(state.Add);
        state.Generation = saved.Generation;
        state.Aptpl = saved.Aptpl;
        if (saved.Reservation is { } reservation)
        {
            var type = (PersistentReservationType)reservation.Type;
            state.Reserve(type.IsAllRegistrants() ? registrations[0] : registrations[reservation.Holder], type);
        }

        return true;
    }

    private static bool IsValid(SavedReservations saved, IReadOnlyList<SavedRegistration> list)
    {
        if (list.Any(r => r is null || string.IsNullOrEmpty(r.InitiatorPort) || string.IsNullOrEmpty(r.Target) || r.Key == 0))
        {
            return false;
        }

        if (saved.Reservation is not { } reservation)
        {
            return true;
        }

        if (!PersistentReservationTypes.IsDefined(reservation.Type) || list.Count == 0)
        {
            return false;
        }

        return ((PersistentReservationType)reservation.Type).IsAllRegistrants()
            ? reservation.Holder == -1
            : reservation.Holder >= 0 && reservation.Holder < list.Count;
    }

    private static int IndexOf(IReadOnlyList<Registration> registrations, Registration registration)
    {
        for (var i = 0; i < registrations.Count; i++)
        {
            if (ReferenceEquals(registrations[i], registration))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>The saved state (see <see cref="ReservationStateCodec"/>).</summary>
internal sealed record SavedReservations(
    int Version, uint Generation, bool Aptpl, SavedReservation? Reservation, IReadOnlyList<SavedRegistration> Registrations);

/// <summary>A saved reservation: its TYPE code and the index of its holder (-1 for all registrants).</summary>
internal sealed record SavedReservation(byte Type, int Holder);

/// <summary>A saved registration.</summary>
internal sealed record SavedRegistration(string InitiatorPort, string Target, ushort RelativeTargetPortId, ulong Key);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SavedReservations))]
internal sealed partial class ReservationJsonContext : JsonSerializerContext;
