using System.Security.Cryptography;
using System.Text;
using IscsiCluster.Iscsi.Protocol.Negotiation;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Protocol.Text;

namespace IscsiCluster.Iscsi.Protocol.Chap;

/// <summary>
/// Target side of the security negotiation stage (RFC 7143 12.1.3, RFC 1994):
/// <code>
/// I->T AuthMethod=CHAP,None          T->I AuthMethod=CHAP        (None only when no account is required)
/// I->T CHAP_A=&lt;A1,A2..&gt;            T->I CHAP_A=5 CHAP_I=&lt;I&gt; CHAP_C=&lt;C&gt;
/// I->T CHAP_N=&lt;N&gt; CHAP_R=&lt;R&gt;      T->I (mutual only) CHAP_N=&lt;N&gt; CHAP_R=&lt;R&gt;
///      [CHAP_I=&lt;I&gt; CHAP_C=&lt;C&gt;]
/// </code>
/// Feed it every reassembled Login Request of the security stage; it reads only AuthMethod and
/// CHAP_* keys. Before letting the initiator leave the security stage (or skip it) the caller checks
/// <see cref="IsAuthenticated"/> and otherwise ends the login with AuthenticationFailure.
/// Secrets never appear in results, logs or exceptions. Not thread-safe: one per login.
/// </summary>
public sealed class ChapAuthenticator
{
    /// <summary>Length of the challenge we send, in bytes.</summary>
    public const int ChallengeLength = 16;

    private const string ChapMethod = "CHAP";

    /// <summary>RFC 1994 / RFC 7143 12.1.3: CHAP_A=5 is CHAP with MD5.</summary>
    private const string Md5Algorithm = "5";

    private const int Md5Length = 16;

    private readonly AuthenticationPolicy _policy;
    private State _state = State.ExpectAuthMethod;
    private byte _identifier;
    private byte[] _challenge = [];

    public ChapAuthenticator(AuthenticationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
    }

    private enum State
    {
        ExpectAuthMethod,
        ExpectAlgorithm,
        ExpectResponse,
        Succeeded,
        Failed,
    }

    /// <summary>True once authentication succeeded, or when none is required and none was started.</summary>
    public bool IsAuthenticated => _state == State.Succeeded || (_state == State.ExpectAuthMethod && !_policy.AuthenticationRequired);

    /// <summary>The CHAP_N the initiator authenticated as; null for AuthMethod=None.</summary>
    public string? AuthenticatedUser { get; private set; }

    /// <summary>Answers the authentication keys of one Login Request. Never throws on any key or value.</summary>
    public AuthenticationStep Process(IReadOnlyList<TextKeyValue> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var step = _state switch
        {
            State.ExpectAuthMethod => OnAuthMethod(keys),
            State.ExpectAlgorithm => OnAlgorithm(keys, []),
            State.ExpectResponse => OnResponse(keys),
            State.Succeeded => Find(keys, LoginKeys.AuthMethod) is null && !keys.Any(k => k.Key.StartsWith("CHAP_", StringComparison.Ordinal))
                ? AuthenticationStep.Succeed([])
                : AuthenticationStep.Fail("authentication keys after authentication completed", status: LoginStatus.InitiatorError),
            _ => AuthenticationStep.Fail("authentication already failed"),
        };
        _state = step.Outcome switch
        {
            AuthenticationOutcome.Failed => State.Failed,
            AuthenticationOutcome.Succeeded => State.Succeeded,
            _ => _state,
        };
        return step;
    }

    /// <summary>RFC 1994 section 4.1: MD5 over the identifier, the secret and the challenge.</summary>
    public static byte[] ComputeResponse(byte identifier, string secret, ReadOnlySpan<byte> challenge)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var secretBytes = Encoding.UTF8.GetBytes(secret);
        var input = new byte[1 + secretBytes.Length + challenge.Length];
        input[0] = identifier;
        secretBytes.CopyTo(input, 1);
        challenge.CopyTo(input.AsSpan(1 + secretBytes.Length));
#pragma warning disable CA5351 // RFC 1994 and RFC 7143 12.1.3 mandate MD5 for CHAP_A=5.
        var response = MD5.HashData(input);
#pragma warning restore CA5351
        CryptographicOperations.ZeroMemory(secretBytes);
        CryptographicOperations.ZeroMemory(input);
        return response;
    }

    private AuthenticationStep OnAuthMethod(IReadOnlyList<TextKeyValue> keys)
    {
        if (Find(keys, LoginKeys.AuthMethod) is not { } offered)
        {
            // Nothing to decide yet; leaving the stage is refused later unless no account is required.
            return AuthenticationStep.Continue([]);
        }

        var methods = TextValues.SplitList(offered);
        if (!_policy.AuthenticationRequired && methods.Contains(TextValues.None))
        {
            return AuthenticationStep.Succeed([new TextKeyValue(LoginKeys.AuthMethod, TextValues.None)]);
        }

        if (!_policy.AuthenticationRequired || !methods.Contains(ChapMethod))
        {
            // RFC 7143 6.2: no acceptable value is answered Reject; without a method the login cannot proceed.
            return AuthenticationStep.Fail("no acceptable AuthMethod offered", [new TextKeyValue(LoginKeys.AuthMethod, TextValues.Reject)]);
        }

        TextKeyValue[] chosen = [new(LoginKeys.AuthMethod, ChapMethod)];
        _state = State.ExpectAlgorithm;
        return Find(keys, LoginKeys.ChapAlgorithm) is null ? AuthenticationStep.Continue(chosen) : OnAlgorithm(keys, chosen);
    }

    private AuthenticationStep OnAlgorithm(IReadOnlyList<TextKeyValue> keys, TextKeyValue[] prefix)
    {
        if (Find(keys, LoginKeys.ChapAlgorithm) is not { } algorithms)
        {
            return AuthenticationStep.Fail("CHAP_A expected", status: LoginStatus.InitiatorError);
        }

        if (!TextValues.SplitList(algorithms).Contains(Md5Algorithm))
        {
            return AuthenticationStep.Fail("no supported CHAP algorithm offered", [.. prefix, new TextKeyValue(LoginKeys.ChapAlgorithm, TextValues.Reject)]);
        }

        _identifier = (byte)RandomNumberGenerator.GetInt32(byte.MaxValue + 1);
        _challenge = RandomNumberGenerator.GetBytes(ChallengeLength);
        _state = State.ExpectResponse;
        return AuthenticationStep.Continue(
        [
            .. prefix,
            new TextKeyValue(LoginKeys.ChapAlgorithm, Md5Algorithm),
            new TextKeyValue(LoginKeys.ChapIdentifier, _identifier.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new TextKeyValue(LoginKeys.ChapChallenge, TextValues.FormatHex(_challenge)),
        ]);
    }

    private AuthenticationStep OnResponse(IReadOnlyList<TextKeyValue> keys)
    {
        if (Find(keys, LoginKeys.ChapName) is not { } name || Find(keys, LoginKeys.ChapResponse) is not { } responseText)
        {
            return AuthenticationStep.Fail("CHAP_N and CHAP_R expected");
        }

        if (!TextValues.TryParseBinary(responseText, out var response) || response.Length != Md5Length)
        {
            return AuthenticationStep.Fail("CHAP_R is not a 16-byte binary value");
        }

        var account = _policy.IncomingAccounts.FirstOrDefault(a => string.Equals(a.UserName, name, StringComparison.Ordinal));

        // Hash even for an unknown user so that both failures cost the same.
        var expected = ComputeResponse(_identifier, account?.Secret ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(ChallengeLength)), _challenge);
        var matches = CryptographicOperations.FixedTimeEquals(expected, response);
        if (account is null || !matches)
        {
            return AuthenticationStep.Fail($"CHAP authentication failed for user '{name}'");
        }

        AuthenticatedUser = account.UserName;
        return MutualResponse(keys);
    }

    /// <summary>RFC 7143 12.1.3: the initiator's CHAP_I and CHAP_C ask the target to authenticate too.</summary>
    private AuthenticationStep MutualResponse(IReadOnlyList<TextKeyValue> keys)
    {
        var identifierText = Find(keys, LoginKeys.ChapIdentifier);
        var challengeText = Find(keys, LoginKeys.ChapChallenge);
        if (identifierText is null && challengeText is null)
        {
            return AuthenticationStep.Succeed([]);
        }

        if (identifierText is null || challengeText is null)
        {
            return AuthenticationStep.Fail("mutual CHAP needs both CHAP_I and CHAP_C");
        }

        if (_policy.OutgoingAccount is not { } outgoing)
        {
            return AuthenticationStep.Fail("mutual CHAP requested but no outgoing account is configured");
        }

        if (!TextValues.TryParseNumber(identifierText, out var identifier) || identifier > byte.MaxValue)
        {
            return AuthenticationStep.Fail("CHAP_I is not a number from 0 to 255");
        }

        if (!TextValues.TryParseBinary(challengeText, out var challenge) || challenge.Length == 0)
        {
            return AuthenticationStep.Fail("CHAP_C is not a binary value");
        }

        // RFC 7143 12.1.3: the secret of one direction must not be the secret of the other. An
        // older configuration may still hold such a pair: answering with it would let anyone who
        // sees the exchange replay the initiator's side, so the login fails instead.
        if (_policy.IncomingAccounts.Any(account => string.Equals(account.Secret, outgoing.Secret, StringComparison.Ordinal)))
        {
            return AuthenticationStep.Fail("mutual CHAP refused: the target's outgoing account has the same secret as an incoming account (RFC 7143 12.1.3 forbids one secret for both directions); give the outgoing account its own secret");
        }

        // RFC 7143 12.1.3: a challenge equal to the one we sent is a reflection attack.
        if (challenge.AsSpan().SequenceEqual(_challenge))
        {
            return AuthenticationStep.Fail("the initiator reflected the target's CHAP challenge");
        }

        var response = ComputeResponse((byte)identifier, outgoing.Secret, challenge);
        return AuthenticationStep.Succeed(
        [
            new TextKeyValue(LoginKeys.ChapName, outgoing.UserName),
            new TextKeyValue(LoginKeys.ChapResponse, TextValues.FormatHex(response)),
        ]);
    }

    private static string? Find(IReadOnlyList<TextKeyValue> keys, string key)
    {
        foreach (var pair in keys)
        {
            if (pair.Key == key)
            {
                return pair.Value;
            }
        }

        return null;
    }
}
