using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IscsiCluster.Iscsi.Protocol.Chap;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Protocol.Text;

namespace IscsiCluster.Iscsi.Protocol.Tests;

public class ChapAuthenticatorTests
{
    private const string User = "iqn.1994-05.com.example:initiator";
    private const string Secret = "incoming-secret-12";
    private const string TargetUser = "target-user";
    private const string TargetSecret = "outgoing-secret-34";

    private static readonly AuthenticationPolicy OneWay = new([new ChapAccount(User, Secret)], null);
    private static readonly AuthenticationPolicy Mutual = new([new ChapAccount(User, Secret)], new ChapAccount(TargetUser, TargetSecret));

    [Fact]
    public void OneWayChapSucceedsWithTheRightSecret()
    {
        var chap = new ChapAuthenticator(OneWay);
        var (identifier, challenge) = NegotiateToChallenge(chap);

        var step = chap.Process([new("CHAP_N", User), new("CHAP_R", Hex(Rfc1994Response(identifier, Secret, challenge)))]);

        Assert.Equal(AuthenticationOutcome.Succeeded, step.Outcome);
        Assert.Empty(step.Response);
        Assert.True(chap.IsAuthenticated);
        Assert.Equal(User, chap.AuthenticatedUser);
    }

    [Fact]
    public void AResponseInBase64IsAccepted()
    {
        var chap = new ChapAuthenticator(OneWay);
        var (identifier, challenge) = NegotiateToChallenge(chap);

        var step = chap.Process([new("CHAP_N", User), new("CHAP_R", "0b" + Convert.ToBase64String(Rfc1994Response(identifier, Secret, challenge)))]);

        Assert.Equal(AuthenticationOutcome.Succeeded, step.Outcome);
    }

    [Fact]
    public void AWrongPasswordFailsWithAuthenticationFailure()
    {
        var chap = new ChapAuthenticator(OneWay);
        var (identifier, challenge) = NegotiateToChallenge(chap);

        var step = chap.Process([new("CHAP_N", User), new("CHAP_R", Hex(Rfc1994Response(identifier, "not-the-secret", challenge)))]);

        Assert.Equal(AuthenticationOutcome.Failed, step.Outcome);
        Assert.Equal(LoginStatus.AuthenticationFailure, step.Status);
        Assert.False(chap.IsAuthenticated);
    }

    [Fact]
    public void AnUnknownUserFailsEvenWithAResponseMadeFromAValidSecret()
    {
        var chap = new ChapAuthenticator(OneWay);
        var (identifier, challenge) = NegotiateToChallenge(chap);

        var step = chap.Process([new("CHAP_N", "someone-else"), new("CHAP_R", Hex(Rfc1994Response(identifier, Secret, challenge)))]);

        Assert.Equal(LoginStatus.AuthenticationFailure, step.Status);
        Assert.Null(chap.AuthenticatedUser);
    }

    [Fact]
    public void AResponseToADifferentIdentifierFails()
    {
        var chap = new ChapAuthenticator(OneWay);
        var (identifier, challenge) = NegotiateToChallenge(chap);

        var step = chap.Process([new("CHAP_N", User), new("CHAP_R", Hex(Rfc1994Response((byte)(identifier + 1), Secret, challenge)))]);

        Assert.Equal(AuthenticationOutcome.Failed, step.Outcome);
    }

    [Theory]
    [InlineData("0x00")]
    [InlineData("garbage")]
    public void AMalformedResponseFails(string response)
    {
        var chap = new ChapAuthenticator(OneWay);
        NegotiateToChallenge(chap);

        Assert.Equal(AuthenticationOutcome.Failed, chap.Process([new("CHAP_N", User), new("CHAP_R", response)]).Outcome);
    }

    [Fact]
    public void AnUnsupportedAlgorithmIsRejectedAndTheLoginFails()
    {
        var chap = new ChapAuthenticator(OneWay);
        chap.Process([new("AuthMethod", "CHAP")]);

        var step = chap.Process([new("CHAP_A", "6,7")]);

        Assert.Equal(AuthenticationOutcome.Failed, step.Outcome);
        Assert.Equal(LoginStatus.AuthenticationFailure, step.Status);
        Assert.Contains(new TextKeyValue("CHAP_A", "Reject"), step.Response);
    }

    [Fact]
    public void Md5IsPickedFromTheOfferedAlgorithmsWithAFreshChallengeOfAtLeast16Bytes()
    {
        var first = NegotiateToChallenge(new ChapAuthenticator(OneWay), "7,5");
        var second = NegotiateToChallenge(new ChapAuthenticator(OneWay));

        Assert.True(first.Challenge.Length >= 16);
        Assert.NotEqual(first.Challenge, second.Challenge);
    }

    [Fact]
    public void AuthMethodAndAlgorithmMayArriveInOneRequest()
    {
        var chap = new ChapAuthenticator(OneWay);

        var step = chap.Process([new("AuthMethod", "CHAP,None"), new("CHAP_A", "5")]);

        Assert.Equal(AuthenticationOutcome.Continue, step.Outcome);
        Assert.Equal(["AuthMethod", "CHAP_A", "CHAP_I", "CHAP_C"], step.Response.Select(p => p.Key));
    }

    [Fact]
    public void MutualChapAnswersTheInitiatorsChallengeWithTheOutgoingAccount()
    {
        var chap = new ChapAuthenticator(Mutual);
        var (identifier, challenge) = NegotiateToChallenge(chap);
        var initiatorChallenge = RandomNumberGenerator.GetBytes(16);

        var step = chap.Process(
        [
            new("CHAP_N", User), new("CHAP_R", Hex(Rfc1994Response(identifier, Secret, challenge))),
            new("CHAP_I", "77"), new("CHAP_C", Hex(initiatorChallenge)),
        ]);

        Assert.Equal(AuthenticationOutcome.Succeeded, step.Outcome);
        Assert.Contains(new TextKeyValue("CHAP_N", TargetUser), step.Response);
        var answer = step.Response.Single(p => p.Key == "CHAP_R").Value;
        Assert.Equal(Rfc1994Response(77, TargetSecret, initiatorChallenge), Convert.FromHexString(answer[2..]));
    }

    [Fact]
    public void MutualChapWithoutAnOutgoingAccountFails()
    {
        var chap = new ChapAuthenticator(OneWay);
        var (identifier, challenge) = NegotiateToChallenge(chap);

        var step = chap.Process(
        [
            new("CHAP_N", User), new("CHAP_R", Hex(Rfc1994Response(identifier, Secret, challenge))),
            new("CHAP_I", "1"), new("CHAP_C", Hex(RandomNumberGenerator.GetBytes(16))),
        ]);

        Assert.Equal(AuthenticationOutcome.Failed, step.Outcome);
        Assert.Equal(LoginStatus.AuthenticationFailure, step.Status);
    }

    [Fact]
    public void AReflectedChallengeIsRefused()
    {
        var chap = new ChapAuthenticator(Mutual);
        var (identifier, challenge) = NegotiateToChallenge(chap);

        var step = chap.Process(
        [
            new("CHAP_N", User), new("CHAP_R", Hex(Rfc1994Response(identifier, Secret, challenge))),
            new("CHAP_I", identifier.ToString(CultureInfo.InvariantCulture)), new("CHAP_C", Hex(challenge)),
        ]);

        Assert.Equal(AuthenticationOutcome.Failed, step.Outcome);
        Assert.DoesNotContain(step.Response, p => p.Key == "CHAP_R");
    }

    [Theory]
    [InlineData("CHAP_I", "1")]
    [InlineData("CHAP_C", "0x0102")]
    public void AMutualRequestNeedsBothIdentifierAndChallenge(string key, string value)
    {
        var chap = new ChapAuthenticator(Mutual);
        var (identifier, challenge) = NegotiateToChallenge(chap);

        var step = chap.Process([new("CHAP_N", User), new("CHAP_R", Hex(Rfc1994Response(identifier, Secret, challenge))), new(key, value)]);

        Assert.Equal(AuthenticationOutcome.Failed, step.Outcome);
    }

    [Fact]
    public void NoneIsChosenWhenNoAccountIsRequired()
    {
        var chap = new ChapAuthenticator(AuthenticationPolicy.Open);

        var step = chap.Process([new("AuthMethod", "CHAP,None")]);

        Assert.Equal(AuthenticationOutcome.Succeeded, step.Outcome);
        Assert.Equal([new TextKeyValue("AuthMethod", "None")], step.Response);
        Assert.True(chap.IsAuthenticated);
    }

    [Fact]
    public void NoneIsRefusedWhenAnAccountIsRequired()
    {
        var chap = new ChapAuthenticator(OneWay);

        var step = chap.Process([new("AuthMethod", "None")]);

        Assert.Equal(AuthenticationOutcome.Failed, step.Outcome);
        Assert.Equal(LoginStatus.AuthenticationFailure, step.Status);
        Assert.Equal([new TextKeyValue("AuthMethod", "Reject")], step.Response);
    }

    [Fact]
    public void AnInitiatorIsNotAuthenticatedBeforeItAnswersTheChallenge()
    {
        var chap = new ChapAuthenticator(OneWay);
        Assert.False(chap.IsAuthenticated);

        NegotiateToChallenge(chap);

        Assert.False(chap.IsAuthenticated);
        Assert.True(new ChapAuthenticator(AuthenticationPolicy.Open).IsAuthenticated);
    }

    [Fact]
    public void ARequestAfterFailureKeepsFailing()
    {
        var chap = new ChapAuthenticator(OneWay);
        chap.Process([new("AuthMethod", "None")]);

        Assert.Equal(AuthenticationOutcome.Failed, chap.Process([new("AuthMethod", "CHAP")]).Outcome);
    }

    [Fact]
    public void SecretsNeverAppearInResultsOrToString()
    {
        var chap = new ChapAuthenticator(Mutual);
        var (_, challenge) = NegotiateToChallenge(chap);
        var step = chap.Process([new("CHAP_N", User), new("CHAP_R", Hex(new byte[16])), new("CHAP_I", "1"), new("CHAP_C", Hex(challenge))]);

        var everything = string.Join('|', step.FailureReason, string.Join(',', step.Response), step.ToString(), Mutual.ToString(), Mutual.OutgoingAccount!.ToString());

        Assert.DoesNotContain(Secret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(TargetSecret, everything, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePublicResponseHelperFollowsRfc1994()
    {
        var challenge = RandomNumberGenerator.GetBytes(16);

        Assert.Equal(Rfc1994Response(9, Secret, challenge), ChapAuthenticator.ComputeResponse(9, Secret, challenge));
    }

    /// <summary>RFC 1994 section 4.1: Response = MD5(Identifier || secret || Challenge), computed independently here.</summary>
    private static byte[] Rfc1994Response(byte identifier, string secret, byte[] challenge)
    {
        var message = new List<byte> { identifier };
        message.AddRange(Encoding.UTF8.GetBytes(secret));
        message.AddRange(challenge);
#pragma warning disable CA5351 // CHAP is defined with MD5.
        return MD5.HashData(message.ToArray());
#pragma warning restore CA5351
    }

    private static string Hex(byte[] bytes) => "0x" + Convert.ToHexString(bytes);

    private static (byte Identifier, byte[] Challenge) NegotiateToChallenge(ChapAuthenticator chap, string algorithms = "5")
    {
        var method = chap.Process([new("AuthMethod", "CHAP,None")]);
        Assert.Equal([new TextKeyValue("AuthMethod", "CHAP")], method.Response);
        var step = chap.Process([new("CHAP_A", algorithms)]);
        Assert.Equal(AuthenticationOutcome.Continue, step.Outcome);
        Assert.Contains(new TextKeyValue("CHAP_A", "5"), step.Response);
        var identifier = byte.Parse(step.Response.Single(p => p.Key == "CHAP_I").Value, CultureInfo.InvariantCulture);
        var challenge = step.Response.Single(p => p.Key == "CHAP_C").Value;
        Assert.StartsWith("0x", challenge, StringComparison.Ordinal);
        return (identifier, Convert.FromHexString(challenge[2..]));
    }
}
