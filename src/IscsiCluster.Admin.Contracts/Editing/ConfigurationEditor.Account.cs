using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.Contracts.Editing;

public static partial class ConfigurationEditor
{
    /// <summary>RFC 7143 13.3: a text value (CHAP_N, a secret) is at most 255 bytes.</summary>
    public const int MaxAccountFieldLength = 255;

    private static EditResult ApplyAccount(ClusterConfiguration current, AdmRequest request, EditContext context) =>
        request.Op switch
        {
            AdmOp.New => NewAccount(current, request, context),
            AdmOp.Delete => DeleteAccount(current, request),
            AdmOp.Show => EditResult.Unchanged(current),
            AdmOp.Bind => BindAccount(current, request),
            AdmOp.Unbind => UnbindAccount(current, request),
            _ => Unsupported(current, request),
        };

    private static EditResult NewAccount(ClusterConfiguration current, AdmRequest request, EditContext context)
    {
        if (request.User is not { } user || request.Password is not { } password)
        {
            return EditResult.Refused(current, AdmError.InvalidRequest, "--user and --password are required");
        }

        if (AccountFieldProblem(user, "a user name") is { } userProblem)
        {
            return EditResult.Refused(current, AdmError.InvalidRequest, userProblem);
        }

        if (AccountFieldProblem(password, "a password") is { } passwordProblem)
        {
            // The detail never repeats the password.
            return EditResult.Refused(current, AdmError.InvalidRequest, passwordProblem);
        }

        if (password.Length < RecommendedSecretLength && context.RefuseShortSecrets)
        {
            return EditResult.Refused(current, AdmError.InvalidRequest, ShortSecretWarning + " (this node refuses them: iscsi-cluster.admin.chap.refuse-short-secrets)");
        }

        if (current.FindAccount(user) is not null)
        {
            return EditResult.Refused(current, AdmError.UserExists, user);
        }

        return EditResult.Updated(current with { Accounts = [.. current.Accounts, new AccountDefinition(user, password)] });
    }

    /// <summary>
    /// Why a user name or secret cannot be kept, or null when it can: it must be 1 to 255 bytes
    /// (RFC 7143 13.3 / 12.1.3: CHAP_N and the secret are text values of at most 255 bytes) and
    /// hold nothing that would break the targets.conf dump it is written to unquoted: no
    /// whitespace, control characters, quotes, backslash, '#', '&lt;' or '&gt;'.
    /// </summary>
    /// <param name="text">The user name or secret.</param>
    /// <param name="what">"a user name" or "a password", for the message (which never repeats a secret).</param>
    public static string? AccountFieldProblem(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(text) > MaxAccountFieldLength)
        {
            return $"{what} is 1 to {MaxAccountFieldLength} bytes";
        }

        return text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || ForbiddenAccountCharacters.Contains(c))
            ? $"{what} cannot contain spaces, control characters or any of {ForbiddenAccountCharacters}"
            : null;
    }

    /// <summary>RFC 7143 12.1.3: without IPsec a CHAP secret should be at least 12 bytes (96 bits).</summary>
    public const int RecommendedSecretLength = 12;

    /// <summary>What <c>adm</c> prints for a shorter secret.</summary>
    public const string ShortSecretWarning =
        "a CHAP secret shorter than 12 characters (96 bits) can be guessed from one captured login; RFC 7143 12.1.3 asks for at least 12";

    // The characters the targets.conf syntax gives a meaning to.
    private const string ForbiddenAccountCharacters = "<>\"'#\\";

    /// <summary>tgt's account_del: deleting an account first unbinds it from every target and from discovery.</summary>
    private static EditResult DeleteAccount(ClusterConfiguration current, AdmRequest request)
    {
        if (request.User is not { } user)
        {
            return Required(current, "--user");
        }

        if (current.FindAccount(user) is null)
        {
            return EditResult.Refused(current, AdmError.NoUser, user);
        }

        var targets = current.Targets
            .Select(t => t with
            {
                IncomingUsers = [.. t.IncomingUsers.Where(u => u != user)],
                OutgoingUser = t.OutgoingUser == user ? null : t.OutgoingUser,
            })
            .ToArray();
        return EditResult.Updated(current with
        {
            Targets = targets,
            Accounts = [.. current.Accounts.Where(a => a.User != user)],
            DiscoveryIncomingUsers = [.. current.DiscoveryIncomingUsers.Where(u => u != user)],
            DiscoveryOutgoingUser = current.DiscoveryOutgoingUser == user ? null : current.DiscoveryOutgoingUser,
        });
    }

    private static EditResult BindAccount(ClusterConfiguration current, AdmRequest request)
    {
        if (!TryFindBinding(current, request, out var user, out var bindings, out var refusal))
        {
            return refusal;
        }

        var where = request.Tid is { } tid ? $"tid {tid}" : "discovery";
        if (request.Outgoing)
        {
            // tgt's account_ctl: one outgoing account per target, even the same one again.
            if (bindings.Outgoing is { } existing)
            {
                return EditResult.Refused(current, AdmError.OutgoingAccountExists, $"{existing} on {where}");
            }

            // RFC 7143 12.1.3: a secret used to authenticate initiators must not authenticate the target too.
            if (bindings.Incoming.Contains(user))
            {
                return EditResult.Refused(current, AdmError.InvalidRequest, $"{user} is an incoming account of {where}; use another account for --outgoing");
            }

            if (bindings.Incoming.FirstOrDefault(incoming => SameSecret(current, incoming, user)) is { } twin)
            {
                return EditResult.Refused(current, AdmError.InvalidRequest, $"{user} has the same secret as {twin}, an incoming account of {where}; RFC 7143 12.1.3 forbids one secret for both directions: give the outgoing account its own password");
            }

            return EditResult.Updated(WithBindings(current, request.Tid, bindings with { Outgoing = user }));
        }

        if (bindings.Incoming.Contains(user))
        {
            return EditResult.Refused(current, AdmError.UserExists, $"{user} is already bound to {where}");
        }

        if (bindings.Outgoing == user)
        {
            return EditResult.Refused(current, AdmError.InvalidRequest, $"{user} is the outgoing account of {where}; use another account for incoming");
        }

        if (bindings.Outgoing is { } outgoingUser && SameSecret(current, user, outgoingUser))
        {
            return EditResult.Refused(current, AdmError.InvalidRequest, $"{user} has the same secret as {outgoingUser}, the outgoing account of {where}; RFC 7143 12.1.3 forbids one secret for both directions: give the incoming account its own password");
        }

        return EditResult.Updated(WithBindings(current, request.Tid, bindings with { Incoming = [.. bindings.Incoming, user] }));
    }

    private static EditResult UnbindAccount(ClusterConfiguration current, AdmRequest request)
    {
        if (!TryFindBinding(current, request, out var user, out var bindings, out var refusal))
        {
            return refusal;
        }

        var where = request.Tid is { } tid ? $"tid {tid}" : "discovery";
        if (request.Outgoing)
        {
            return bindings.Outgoing == user
                ? EditResult.Updated(WithBindings(current, request.Tid, bindings with { Outgoing = null }))
                : EditResult.Refused(current, AdmError.NoUser, $"{user} is not the outgoing account of {where}");
        }

        return bindings.Incoming.Contains(user)
            ? EditResult.Updated(WithBindings(current, request.Tid, bindings with { Incoming = [.. bindings.Incoming.Where(u => u != user)] }))
            : EditResult.Refused(current, AdmError.NoUser, $"{user} is not an incoming account of {where}");
    }

    private static bool SameSecret(ClusterConfiguration current, string user, string other) =>
        string.Equals(current.FindAccount(user)?.Password, current.FindAccount(other)?.Password, StringComparison.Ordinal);

    /// <summary>The accounts bound to a target, or to discovery when the request has no tid (tgt's GLOBAL_TID).</summary>
    private sealed record Bindings(IReadOnlyList<string> Incoming, string? Outgoing);

    private static bool TryFindBinding(ClusterConfiguration current, AdmRequest request, out string user, out Bindings bindings, out EditResult refusal)
    {
        user = "";
        bindings = null!;
        refusal = null!;
        if (request.User is not { } name)
        {
            refusal = Required(current, "--user");
            return false;
        }

        if (request.Tid is null)
        {
            bindings = new Bindings(current.DiscoveryIncomingUsers, current.DiscoveryOutgoingUser);
        }
        else if (TryFindTarget(current, request, out var target, out refusal))
        {
            bindings = new Bindings(target.IncomingUsers, target.OutgoingUser);
        }
        else
        {
            return false;
        }

        if (current.FindAccount(name) is null)
        {
            refusal = EditResult.Refused(current, AdmError.NoUser, name);
            return false;
        }

        user = name;
        return true;
    }

    private static ClusterConfiguration WithBindings(ClusterConfiguration current, int? tid, Bindings bindings)
    {
        if (tid is not { } id)
        {
            return current with { DiscoveryIncomingUsers = bindings.Incoming, DiscoveryOutgoingUser = bindings.Outgoing };
        }

        var target = current.FindTarget(id)!;
        return current.WithTarget(target with { IncomingUsers = bindings.Incoming, OutgoingUser = bindings.Outgoing });
    }
}
