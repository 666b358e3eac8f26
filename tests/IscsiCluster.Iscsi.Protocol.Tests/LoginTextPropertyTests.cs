using FsCheck;
using FsCheck.Fluent;
using IscsiCluster.Iscsi.Protocol.Chap;
using IscsiCluster.Iscsi.Protocol.Negotiation;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Protocol.Text;

namespace IscsiCluster.Iscsi.Protocol.Tests;

public class LoginTextPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(500);

    private static readonly string[] Keys =
    [
        "HeaderDigest", "DataDigest", "MaxConnections", "SendTargets", "TargetName", "InitiatorName", "TargetAlias", "InitiatorAlias",
        "TargetAddress", "TargetPortalGroupTag", "InitialR2T", "ImmediateData", "MaxRecvDataSegmentLength", "MaxBurstLength",
        "FirstBurstLength", "DefaultTime2Wait", "DefaultTime2Retain", "MaxOutstandingR2T", "DataPDUInOrder", "DataSequenceInOrder",
        "ErrorRecoveryLevel", "SessionType", "TaskReporting", "iSCSIProtocolLevel", "OFMarker", "IFMarker", "OFMarkInt", "IFMarkInt",
        "AuthMethod", "CHAP_A", "CHAP_I", "CHAP_C", "CHAP_N", "CHAP_R", "X-com.example.k", "X#NodeArchitecture", "Unknown",
    ];

    private static readonly string[] Values =
    [
        "", "Yes", "No", "None", "CRC32C", "CRC32C,None", "CHAP,None", "CHAP", "5", "0", "1", "512", "8192", "16777215", "16777216",
        "-1", "0x", "0x10", "0bAAAA", "0b!", "Normal", "Discovery", "Reject", "Irrelevant", "NotUnderstood", "RFC3720", "iqn.a",
        "99999999999999999999999999", new string('a', 300), "ü",
    ];

    [Fact]
    public void RandomBytesNeverMakeTheTextParserThrow()
    {
        var bytes = Gen.ArrayOf(Gen.Elements<byte>(0, (byte)'=', (byte)'A', (byte)'a', (byte)'_', (byte)'1', 0xc3, 0xbc, 0xff, 0x80)).Resize(200);

        Check.One(Runs, Prop.ForAll(bytes.ToArbitrary(), input =>
        {
            var ok = TextParser.TryParse(input, out var pairs, out var error);
            return ok ? pairs is not null && error is null : pairs is null && error is not null;
        }));
    }

    [Fact]
    public void MutatedLoginTextNeverMakesTheParserOrTheNegotiatorOrChapThrow()
    {
        var pair = Gen.Elements(Keys).SelectMany(key => Gen.Elements(Values), (key, value) => new TextKeyValue(key, value));
        var login =
            from pairs in Gen.ListOf(pair).Resize(12)
            from stage in Gen.Elements(LoginStage.SecurityNegotiation, LoginStage.LoginOperationalNegotiation, LoginStage.FullFeaturePhase, (LoginStage)2)
            from flip in Gen.Choose(-1, 400)
            from leading in Gen.Elements(true, false)
            from open in Gen.Elements(true, false)
            select (Pairs: pairs, Stage: stage, Flip: flip, Leading: leading, Open: open);

        Check.One(Runs, Prop.ForAll(login.ToArbitrary(), input =>
        {
            var bytes = TextEncoder.Encode(input.Pairs);
            if (input.Flip >= 0 && bytes.Length > 0)
            {
                bytes[input.Flip % bytes.Length] ^= 0x5a;
            }

            if (!TextParser.TryParse(bytes, out var parsed, out _))
            {
                return true;
            }

            var context = new LoginNegotiationContext { ExistingSession = input.Leading ? null : new NegotiatedParameters() };
            var negotiator = new OperationalNegotiator(new TargetNegotiationLimits(), context);
            var first = negotiator.Negotiate(parsed, input.Stage);
            var second = negotiator.Negotiate(parsed, LoginStage.LoginOperationalNegotiation);
            var policy = input.Open ? AuthenticationPolicy.Open : new AuthenticationPolicy([new ChapAccount("u", "secret-secret")], new ChapAccount("t", "other-secret"));
            var chap = new ChapAuthenticator(policy);
            var steps = Enumerable.Range(0, 3).Select(_ => chap.Process(parsed)).ToList();

            // A failure always carries a non-success status; the response never repeats a key.
            return first.Failed == (first.Status != LoginStatus.Success)
                && second.Response.Select(p => p.Key).Distinct().Count() == second.Response.Count
                && steps.All(s => (s.Outcome == AuthenticationOutcome.Failed) == (s.Status != LoginStatus.Success));
        }));
    }

    [Fact]
    public void ValidLoginTextSurvivesEncodeThenParse()
    {
        var keyChars = Gen.Elements("ABCXYZabcxyz0189.-+@_".ToCharArray());
        var key = Gen.Zip(Gen.Elements('A', 'K', 'Z'), Gen.ArrayOf(keyChars).Resize(30)).Select(t => t.Item1 + new string(t.Item2));
        var value = Gen.ArrayOf(Gen.Elements("abc =,~é0x:".ToCharArray())).Resize(40).Select(chars => new string(chars));
        var pairs = Gen.ListOf(Gen.Zip(key, value)).Select(list => list.DistinctBy(p => p.Item1).Select(p => new TextKeyValue(p.Item1, p.Item2)).ToList());

        Check.One(Runs, Prop.ForAll(pairs.ToArbitrary(), list =>
            TextParser.TryParse(TextEncoder.Encode(list), out var parsed, out _) && parsed.SequenceEqual(list)));
    }
}
